namespace Feedback.Functions.Capture;

public static class CaptureServices
{
    public static IServiceCollection AddCapture(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.DevicePerMinute > 0 && o.TokenPerMinute > 0 && o.IpPerMinute > 0 && o.RedeemPerMinute > 0,
                "Settings 'RateLimits__DevicePerMinute', '__TokenPerMinute', '__IpPerMinute' and '__RedeemPerMinute' must be positive.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value);
        services.AddSingleton<SubmissionLimiter>();
        services.AddSingleton<StatusLinks>();
        services.AddSingleton<FeedbackStatusReader>();
        services.AddSingleton<CaptureService>();
        return services;
    }
}
