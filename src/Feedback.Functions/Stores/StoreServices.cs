namespace Feedback.Functions.Stores;

public static class StoreServices
{
    public static IServiceCollection AddStores(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddSingleton<StoreDirectory>();
        services.AddSingleton<StoreCache>();
        return services;
    }
}
