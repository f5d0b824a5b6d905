using Feedback.Functions.Configuration;
using Feedback.Functions.Hosting;

namespace Feedback.Functions.Webhooks;

public static class WebhookServices
{
    /// <summary>Subscriptions, signed deliveries with retries and dead letters, and the DeliverWebhook queue function.</summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<WebhookOptions>(configuration.GetSection(WebhookOptions.Section))
            .Validate(o => WebhookOptions.TryParseSchedule(o.RetrySchedule, out _),
                "Setting 'Webhooks__RetrySchedule' must be comma-separated TimeSpans (hh:mm:ss) from 0 to 7 days, at most 20.")
            .Validate(o => o.Timeout >= TimeSpan.FromSeconds(1) && o.Timeout <= TimeSpan.FromMinutes(1), "Setting 'Webhooks__Timeout' must be 1 s to 1 min.")
            .Validate(o => o.StuckAfter >= TimeSpan.FromMinutes(1) && o.StuckAfter <= TimeSpan.FromDays(1), "Setting 'Webhooks__StuckAfter' must be 1 min to 1 day.");
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WebhookDeliveries>();
        services.AddSingleton<WebhookPublisher>();
        services.AddSingleton<WebhookSender>();
        return services.AddQueueFunction<DeliverWebhookFunction>(DeliverWebhookFunction.Name);
    }
}
