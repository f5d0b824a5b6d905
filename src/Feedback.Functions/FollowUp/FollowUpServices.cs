using Feedback.Functions.Hosting;
using Feedback.Functions.Webhooks;
using Microsoft.Extensions.Options;

namespace Feedback.Functions.FollowUp;

public static class FollowUpServices
{
    /// <summary>Cases, burst alerts and the webhooks that carry them: options, services, and the two queue functions.</summary>
    public static IServiceCollection AddFollowUp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FollowUpOptions>().Bind(configuration.GetSection(FollowUpOptions.Section))
            .Validate(o => o.DefaultDeadline >= TimeSpan.FromHours(1), "Setting 'FollowUp__DefaultDeadline' must be at least 1 hour.")
            .Validate(o => o.BurstWindow > TimeSpan.Zero && o.BurstWindow <= TimeSpan.FromDays(1), "Setting 'FollowUp__BurstWindow' must be more than 0 and at most 1 day.")
            .Validate(o => o.BurstMinAnswers >= 1, "Setting 'FollowUp__BurstMinAnswers' must be at least 1.")
            .Validate(o => o.BurstDetractorShare is > 0 and <= 1, "Setting 'FollowUp__BurstDetractorShare' must be more than 0 and at most 1.")
            .ValidateOnStart();
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => WebhookOptions.TryParseSchedule(o.RetrySchedule, out _),
                "Setting 'Webhooks__RetrySchedule' must be comma-separated TimeSpans (hh:mm:ss) from 0 to 7 days, at most 20.")
            .Validate(o => o.Timeout >= TimeSpan.FromSeconds(1) && o.Timeout <= TimeSpan.FromMinutes(1), "Setting 'Webhooks__Timeout' must be 1 s to 1 min.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<FollowUpOptions>>().Value);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<WebhookOptions>>().Value);

        services.AddSingleton<CaseStore>();
        services.AddSingleton<FollowUpPolicies>();
        services.AddSingleton<BurstDetector>();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WebhookDeliveries>();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<WebhookSender>();
        services.AddQueueFunction<FollowUpFunction>(FollowUpFunction.Name);
        return services.AddQueueFunction<DeliverWebhookFunction>(DeliverWebhookFunction.Name);
    }

    public static IEndpointRouteBuilder MapFollowUpEndpoints(this IEndpointRouteBuilder app) =>
        app.MapCaseEndpoints().MapWebhookEndpoints();
}
