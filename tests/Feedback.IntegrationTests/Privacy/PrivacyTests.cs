using Feedback.Functions.Answers;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.FollowUp;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Privacy;

/// <summary>A customer's contact details: exported and erased from every table and queue, records kept.</summary>
public sealed class PrivacyTests(PrivacyTests.Fixture app) : IClassFixture<PrivacyTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:RetrySchedule"] = "",
            ["RateLimits:DevicePerMinute"] = "1000",
        };
    }

    [Fact]
    public async Task Erase_RemovesTheContactFromEveryTableAndQueue_KeepsTheRecords_AndIsIdempotent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        await app.SubscribeAsync(store, receiver.Url);
        var (email, phone) = ($"Jana.{Guid.NewGuid():N}@Example.cz", "+420 601 " + Random.Shared.Next(100000, 999999));
        var kept = (Email: $"other.{Guid.NewGuid():N}@example.cz", Phone: "+421 900 111 222");

        var feedbackId = await app.AnswerAsync(kiosk, 2, new { email, phone, consent = true }, "Cold coffee");
        await app.AnswerAsync(kiosk, 3, new { email = kept.Email, phone = kept.Phone, consent = true });
        await app.WaitForCaseAsync(store, feedbackId);
        await Eventually.Value(() => Task.FromResult(receiver.About(store).Count), n => n >= 2, TimeSpan.FromSeconds(10));
        await app.DrainAsync();
        // A follow-up that failed for good sits in the poison queue with the contact in it.
        var poison = app.Storage().Queue(QueueNames.FollowUpRequested + "-poison");
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync(JsonSerializer.Serialize(new { feedbackId = "poisoned-1", storeId = store, contact = new { email, phone } }));

        var export = await PostAsync("export", new { email = email.ToUpperInvariant(), phone = phone.Replace(" ", "", StringComparison.Ordinal) });
        var tables = export["tables"]!.AsObject();
        Assert.Single(tables[TableNames.Feedback]!.AsArray());
        Assert.Single(tables[TableNames.Cases]!.AsArray());
        Assert.NotEmpty(tables[TableNames.WebhookDeliveries]!.AsArray());
        Assert.Single(export["queued"]!.AsArray());
        Assert.Contains("Cold coffee", tables[TableNames.Feedback]!.ToJsonString(), StringComparison.Ordinal);

        var erased = await PostAsync("erase", new { email, phone });
        Assert.True(erased["erased"]!.GetValue<int>() >= 4, erased.ToJsonString());

        var everything = await ScanEverythingAsync();
        Assert.DoesNotContain(email, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(phone, everything, StringComparison.Ordinal);
        Assert.Contains(kept.Email, everything, StringComparison.Ordinal);

        // The records stay, without the contact.
        var row = await app.AnswerRowAsync(store, feedbackId);
        Assert.Equal(("Cold coffee", false, false), (row!.GetString("Comment"), row.ContainsKey("ContactEmail"), row.ContainsKey("ContactPhone")));
        var opened = await app.WaitForCaseAsync(store, feedbackId);
        Assert.Null(opened["contact"]);
        Assert.Equal(0, (await PostAsync("erase", new { email, phone }))["erased"]!.GetValue<int>());
    }

    [Fact]
    public async Task AnAnswerStillQueuedWhenItsContactWasErased_IsStoredWithoutIt()
    {
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        var email = $"late.{Guid.NewGuid():N}@example.cz";
        await PostAsync("erase", new { email });

        var feedbackId = await app.AnswerAsync(kiosk, 1, new { email, phone = "+420 777 000 111", consent = true });
        var opened = await app.WaitForCaseAsync(store, feedbackId);

        Assert.Equal("+420 777 000 111", opened["contact"]!["phone"]!.GetValue<string>());
        Assert.Null(opened["contact"]!["email"]);
        var row = await app.AnswerRowAsync(store, feedbackId);
        Assert.Equal((false, true), (row!.ContainsKey("ContactEmail"), row.ContainsKey("ContactPhone")));
    }

    [Fact]
    public async Task AFollowUpStillQueuedWhenItsContactWasErased_CallsNobodyBack()
    {
        var (store, _) = await app.CreateStoreWithKioskAsync();
        var email = $"queued.{Guid.NewGuid():N}@example.cz";
        await PostAsync("erase", new { email });
        var (promoter, detractor) = ("promoter-" + Guid.NewGuid().ToString("N")[..12], "detractor-" + Guid.NewGuid().ToString("N")[..12]);
        var followUps = app.Storage().Queue(QueueNames.FollowUpRequested);
        foreach (var (id, score) in new[] { (promoter, 10), (detractor, 2) })
        {
            await followUps.SendMessageAsync(JsonSerializer.Serialize(
                new Feedback.Functions.FollowUp.FollowUpRequested(id, store, new NpsScore(score), true, null, [], new Contact(email, null),
                    Touchpoint.Kiosk, "cs", DateTimeOffset.UtcNow),
                MessageQueue.Json));
        }

        var opened = await app.WaitForCaseAsync(store, detractor);
        await app.DrainAsync();

        Assert.Equal((false, true), (opened["callbackRequested"]!.GetValue<bool>(), opened["contact"] is null));
        Assert.Equal([detractor], (await app.CasesAsync(store)).Select(c => c["feedbackId"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("{}", "email")]
    [InlineData("{\"email\": \"not an email\"}", "email")]
    [InlineData("{\"phone\": \"12\"}", "phone")]
    [InlineData("{\"email\": 5}", "email")]
    public async Task BadRequests_Are400NamingTheField(string body, string field)
    {
        foreach (var action in new[] { "erase", "export" })
        {
            using var response = await app.AdminClient().PostAsync($"/api/privacy/{action}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(field, (await response.ProblemAsync())["errors"]!.AsObject().Select(e => e.Key));
        }
    }

    [Fact]
    public async Task WithoutTheAdminKey_Is401()
    {
        using var response = await app.Client.PostAsJsonAsync("/api/privacy/export", new { email = "a@example.cz" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private async Task<JsonObject> PostAsync(string action, object body)
    {
        using var response = await app.AdminClient().PostAsJsonAsync($"/api/privacy/{action}", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Every row of every table and every message of every queue, read with clients of its own.</summary>
    private async Task<string> ScanEverythingAsync()
    {
        var text = new System.Text.StringBuilder();
        var tables = new TableServiceClient(app.ConnectionString);
        await foreach (var table in tables.QueryAsync())
        {
            await foreach (var row in tables.GetTableClient(table.Name).QueryAsync<TableEntity>())
            {
                text.AppendLine(JsonSerializer.Serialize(row.ToDictionary(c => c.Key, c => c.Value?.ToString())));
            }
        }

        var queues = new QueueServiceClient(app.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await foreach (var queue in queues.GetQueuesAsync())
        {
            foreach (var message in (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value)
            {
                text.AppendLine(message.Body.ToString());
            }
        }

        return text.ToString();
    }
}

/// <summary>Retention reaches every copy of a contact: cases and webhook payloads lose it after ContactDays, deliveries go after WebhookDays.</summary>
public sealed class CopyRetentionTests(CopyRetentionTests.Fixture app) : IClassFixture<CopyRetentionTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["Webhooks:RetrySchedule"] = "",
            ["Retention:WebhookDays"] = "60",
        };

        protected override void ConfigureServices(IServiceCollection services) =>
            Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.Replace(services, ServiceDescriptor.Singleton<TimeProvider>(Clock));
    }

    [Fact]
    public async Task CasesAndWebhookPayloads_LoseTheContactAfterContactDays_DeliveriesGoAfterWebhookDays()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        await app.SubscribeAsync(store, receiver.Url);
        var email = $"old.{Guid.NewGuid():N}@example.cz";
        var feedbackId = await app.AnswerAsync(kiosk, 2, new { email, consent = true });
        await app.WaitForCaseAsync(store, feedbackId);
        var webhook = await Eventually.First(() => Task.FromResult(receiver.About(store)), TimeSpan.FromSeconds(10));
        await app.DrainAsync();
        var retention = app.App.Services.GetRequiredService<Feedback.Functions.Scores.Retention>();

        app.Clock.Advance(TimeSpan.FromDays(29));
        await retention.ApplyAsync(CancellationToken.None);
        Assert.Equal(email, (await app.WaitForCaseAsync(store, feedbackId))["contact"]!["email"]!.GetValue<string>());

        app.Clock.Advance(TimeSpan.FromDays(2));
        await retention.ApplyAsync(CancellationToken.None);
        var opened = await app.WaitForCaseAsync(store, feedbackId);
        Assert.Null(opened["contact"]);
        var delivery = await app.DeliveryAsync(webhook.Id!);
        Assert.DoesNotContain(email, delivery.ToJsonString(), StringComparison.Ordinal);

        app.Clock.Advance(TimeSpan.FromDays(30));
        await retention.ApplyAsync(CancellationToken.None);
        using var gone = await app.AdminClient().GetAsync($"/api/webhooks/deliveries/{webhook.Id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(feedbackId, (await app.WaitForCaseAsync(store, feedbackId))["feedbackId"]!.GetValue<string>());
    }
}
