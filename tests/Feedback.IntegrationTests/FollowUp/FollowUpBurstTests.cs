using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.FollowUp;

/// <summary>Burst alerts with the default rule: at least half of at least 4 answers within 15 minutes are detractors.</summary>
public sealed class FollowUpBurstTests(FollowUpBurstTests.Fixture app) : IClassFixture<FollowUpBurstTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Webhooks:AllowPrivateTargets"] = "true",
            ["RateLimits:DevicePerMinute"] = "1000",
        };
    }

    [Fact]
    public async Task HalfOfFourAnswersDetractors_RaisesOneBurstAlert_AndNoMoreWithinTheWindow()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        var secret = await app.SubscribeAsync(store, receiver.Url, ["alert.burst"]);

        await AnswerAllAsync(kiosk, 10, 9, 2);
        Assert.Empty(receiver.About(store));

        await AnswerAllAsync(kiosk, 1);
        var alert = Assert.Single(receiver.About(store));
        Assert.Equal("alert.burst", alert.Type);
        Assert.True(alert.IsSignedWith(secret));
        Assert.Equal((4, 2), (alert.Data["answers"]!.GetValue<int>(), alert.Data["detractors"]!.GetValue<int>()));
        Assert.Equal(TimeSpan.FromMinutes(15), alert.Data["windowEnd"]!.GetValue<DateTimeOffset>() - alert.Data["windowStart"]!.GetValue<DateTimeOffset>());

        await AnswerAllAsync(kiosk, 0, 3, 4);
        Assert.Single(receiver.About(store));
    }

    [Fact]
    public async Task ThreeDetractors_RaiseNoAlert_UntilAFourthAnswer()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var (store, kiosk) = await app.CreateStoreWithKioskAsync();
        await app.SubscribeAsync(store, receiver.Url, ["alert.burst"]);

        await AnswerAllAsync(kiosk, 0, 1, 2);
        Assert.Empty(receiver.About(store));

        await AnswerAllAsync(kiosk, 3);
        Assert.Equal(4, Assert.Single(receiver.About(store)).Data["detractors"]!.GetValue<int>());
    }

    /// <summary>Answers one after another, then waits until everything they set off has been handled.</summary>
    private async Task AnswerAllAsync(string kiosk, params int[] scores)
    {
        foreach (var score in scores)
        {
            await app.AnswerAsync(kiosk, score);
        }

        await app.DrainAsync();
    }
}
