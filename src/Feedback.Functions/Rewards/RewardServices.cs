using Feedback.Functions.Configuration;

namespace Feedback.Functions.Rewards;

public static class RewardServices
{
    /// <summary>Issuing (within ProcessFeedback's transaction) and the reward endpoints' settings.</summary>
    public static IServiceCollection AddRewards(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RewardOptions>(configuration.GetSection(RewardOptions.Section))
            .Validate(o => o.KioskInterval >= TimeSpan.Zero, "Setting 'Rewards__KioskInterval' must not be negative.");
        return services.AddSingleton<RewardIssuer>();
    }
}
