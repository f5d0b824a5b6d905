namespace Feedback.IntegrationTests.Faults;

/// <summary>
/// Storage frozen (SIGSTOP: it accepts connections and never answers) for 10 s while answers are processed, then
/// resumed: 503 with Retry-After meanwhile, then nothing lost, nothing counted twice, one reward per receipt, and the
/// queue listeners and the timer survive their failed polls.
/// </summary>
public sealed class FrozenStorageTests(StorageOutageFixture app) : IClassFixture<StorageOutageFixture>
{
    [Fact]
    public Task StorageFrozenFor10Seconds_MidProcessing_Is503WithRetryAfterMeanwhile_ThenCountedOnceAndRewardedOnce_AndTheTimerRunsAgain() =>
        StorageOutage.RunAsync(app, app.Emulator.PauseAsync, app.Emulator.ResumeAsync, TimeSpan.FromSeconds(10));
}
