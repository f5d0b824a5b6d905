using System.Net;
using System.Net.Http.Json;
using Feedback.Functions.Hosting;
using Feedback.Functions.Health;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Observability;

/// <summary>Readiness for the on-call engineer: storage reachable, and how many messages wait (and are poisoned) per queue.</summary>
[Collection(TriggersOffCollection.Name)]
public sealed class ReadinessTests(TriggersOffFixture app)
{
    [Fact]
    public async Task Readiness_CountsWaitingAndPoisonedMessages_PerQueue()
    {
        var before = await ReadyAsync();
        var store = await app.CreateStoreAsync();
        var (_, key) = await app.EnrollDeviceAsync(store);
        await app.SubmitAcceptedAsync(new { score = 8 }, key);
        var poison = app.App.Services.GetRequiredService<StorageAccount>().Queue(QueueNames.WebhookDeliveries + "-poison");
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync("{}");

        var after = await ReadyAsync();

        Assert.Equal("ready", after.Status);
        Assert.Equal(QueueNames.All, after.Queues.Select(q => q.Name));
        Assert.Equal(Queue(before, QueueNames.FeedbackSubmitted).Messages + 1, Queue(after, QueueNames.FeedbackSubmitted).Messages);
        Assert.Equal(Queue(before, QueueNames.WebhookDeliveries).Poison + 1, Queue(after, QueueNames.WebhookDeliveries).Poison);
        Assert.Equal(Queue(before, QueueNames.FollowUpRequested).Poison, Queue(after, QueueNames.FollowUpRequested).Poison);
    }

    [Fact]
    public async Task Readiness_NeedsTheAdminKey_WhileHealthStaysOpen()
    {
        using var ready = await app.App.CreateClient().GetAsync("/api/health/ready");
        using var health = await app.App.CreateClient().GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.Unauthorized, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private async Task<Readiness> ReadyAsync()
    {
        using var response = await app.AdminClient().GetAsync("/api/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Readiness>(Feedback.Functions.Storage.MessageQueue.Json))!;
    }

    private static QueueBacklog Queue(Readiness readiness, string name) => Assert.Single(readiness.Queues, q => q.Name == name);
}
