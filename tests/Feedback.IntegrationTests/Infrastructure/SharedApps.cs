namespace Feedback.IntegrationTests.Infrastructure;

/// <summary>
/// The app with its queue and timer triggers off: whatever is enqueued stays in the queue until a
/// test processes it. Shared by the classes that need exactly that, in one collection (so they run
/// one after another), because every fixture costs an Azurite process.
/// </summary>
public sealed class TriggersOffFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Triggers:Standalone"] = "false",
        ["RateLimits:TokenPerMinute"] = "10000",
        ["RateLimits:DevicePerMinute"] = "10000",
        ["RateLimits:IpPerMinute"] = "10000",
    };
}

[CollectionDefinition(Name)]
public sealed class TriggersOffCollection : ICollectionFixture<TriggersOffFixture>
{
    public const string Name = "App with triggers off";
}

/// <summary>The app processing its queues, with limits no test reaches; shared as <see cref="TriggersOffFixture"/> is.</summary>
public sealed class ProcessingFixture : AppFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:TokenPerMinute"] = "10000",
        ["RateLimits:DevicePerMinute"] = "10000",
        ["RateLimits:IpPerMinute"] = "10000",
    };
}

[CollectionDefinition(Name)]
public sealed class ProcessingCollection : ICollectionFixture<ProcessingFixture>
{
    public const string Name = "App processing its queues";
}
