using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Rewards;

/// <summary>
/// The reward classes that need no special settings share one app and one Azurite and run one after
/// another: fewer processes starting at once on a small CI machine, and no test sees another's queue work.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RewardsCollection : ICollectionFixture<RewardsCollection.Fixture>
{
    public const string Name = "Rewards";

    public sealed class Fixture : AppFixture
    {
        protected override IReadOnlyDictionary<string, string?> Settings => RewardFlows.GenerousLimits;
    }
}
