namespace Feedback.IntegrationTests.Faults;

/// <summary>
/// Storage stopped for 30 s while answers are processed (nothing listens on its ports), then started again on the
/// same ports with its data: 503 with Retry-After meanwhile, then nothing lost, nothing counted twice, one reward
/// per receipt, and the queue listeners and the timer carry on.
/// </summary>
public sealed class StoppedStorageTests(StorageOutageFixture app) : IClassFixture<StorageOutageFixture>
{
    [Fact]
    public Task StorageStoppedFor30Seconds_MidProcessing_Is503WithRetryAfterMeanwhile_ThenCountedOnceAndRewardedOnce_AndTheTimerRunsAgain() =>
        StorageOutage.RunAsync(app, app.Emulator.StopAsync, app.Emulator.StartAgainAsync, TimeSpan.FromSeconds(30));
}
