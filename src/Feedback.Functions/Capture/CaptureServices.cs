using Feedback.Functions.Configuration;

namespace Feedback.Functions.Capture;

public static class CaptureServices
{
    /// <summary>The request path of an answer: validation, tokens, rate limits, the receipt claim, the enqueue, the status read.</summary>
    public static IServiceCollection AddCapture(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<RateLimitOptions>(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.DevicePerMinute > 0 && o.TokenPerMinute > 0 && o.IpPerMinute > 0 && o.RedeemPerMinute > 0,
                "Settings 'RateLimits__DevicePerMinute', '__TokenPerMinute', '__IpPerMinute' and '__RedeemPerMinute' must be positive.")
            .Validate(o => o.OpenTokenPerDay > 0, "Setting 'RateLimits__OpenTokenPerDay' must be positive.");
        services.AddSingleton<SubmissionLimiter>();
        services.AddSingleton<OpenTokenCeiling>();
        services.AddSingleton<StatusLinks>();
        services.AddSingleton<FeedbackStatusReader>();
        services.AddSingleton<CaptureService>();
        return services;
    }
}
