namespace Feedback.Functions.Segments;

public static class SegmentServices
{
    public static IServiceCollection AddSegments(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<SegmentDefinitions>();
        return services;
    }
}
