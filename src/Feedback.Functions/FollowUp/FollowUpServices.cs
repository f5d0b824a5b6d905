using Feedback.Functions.Configuration;
using Feedback.Functions.Hosting;

namespace Feedback.Functions.FollowUp;

public static class FollowUpServices
{
    /// <summary>Cases and burst alerts: settings, services, and the FollowUp queue function.</summary>
    public static IServiceCollection AddFollowUp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<FollowUpOptions>(configuration.GetSection(FollowUpOptions.Section))
            .Validate(o => o.DefaultDeadline >= TimeSpan.FromHours(1), "Setting 'FollowUp__DefaultDeadline' must be at least 1 hour.")
            .Validate(o => o.BurstWindow > TimeSpan.Zero && o.BurstWindow <= TimeSpan.FromDays(1), "Setting 'FollowUp__BurstWindow' must be more than 0 and at most 1 day.")
            .Validate(o => o.BurstMinAnswers >= 1, "Setting 'FollowUp__BurstMinAnswers' must be at least 1.")
            .Validate(o => o.BurstDetractorShare is > 0 and <= 1, "Setting 'FollowUp__BurstDetractorShare' must be more than 0 and at most 1.");
        services.AddSingleton<CaseStore>();
        services.AddSingleton<FollowUpPolicies>();
        services.AddSingleton<BurstDetector>();
        return services.AddQueueFunction<FollowUpFunction>(FollowUpFunction.Name);
    }
}
