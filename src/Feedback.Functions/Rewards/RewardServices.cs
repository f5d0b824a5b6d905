using Feedback.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace Feedback.Functions.Rewards;

public static class RewardServices
{
    public static IServiceCollection AddRewards(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RewardOptions>().Bind(configuration.GetSection(RewardOptions.Section))
            .Validate(o => o.KioskInterval >= TimeSpan.Zero, "Setting 'Rewards__KioskInterval' must not be negative.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<RewardOptions>>().Value);
        return services.AddQueueFunction<IssueRewardFunction>(IssueRewardFunction.Name);
    }
}
