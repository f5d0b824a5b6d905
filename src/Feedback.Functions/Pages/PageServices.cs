namespace Feedback.Functions.Pages;

public static class PageServices
{
    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddSingleton<PageAssets>();
        services.AddSingleton<PageTexts>();
        services.AddSingleton<PageHtml>();
        return services;
    }
}
