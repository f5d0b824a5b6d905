using Feedback.Functions.Configuration;
using Feedback.Functions.Hosting;

namespace Feedback.Functions.Rewards;

public static class RewardServices
{
    /// <summary>Issuing (the IssueReward queue function) and the reward endpoints' settings.</summary>
    public static IServiceCollection AddRewards(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RewardOptions>(configuration.GetSection(RewardOptions.Section))
            .Validate(o => o.KioskInterval >= TimeSpan.Zero, "Setting 'Rewards__KioskInterval' must not be negative.");
        return services.AddQueueFunction<IssueRewardFunction>(IssueRewardFunction.Name);
    }
}
