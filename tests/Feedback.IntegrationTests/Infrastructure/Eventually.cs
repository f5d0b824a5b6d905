namespace Feedback.IntegrationTests.Infrastructure;

/// <summary>Polls until a condition holds or a deadline passes; queue-driven effects are awaited this way, never by sleeping.</summary>
public static class Eventually
{
    public static async Task<T> Value<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout ?? TimeSpan.FromSeconds(15)}; last value: {value}");
            }

            await Task.Delay(50);
        }
    }

    public static async Task<T> First<T>(Func<Task<IReadOnlyList<T>>> probe, TimeSpan? timeout = null) =>
        (await Value(probe, list => list.Count > 0, timeout))[0];
}
