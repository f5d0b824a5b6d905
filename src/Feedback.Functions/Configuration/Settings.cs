using Microsoft.Extensions.Options;

namespace Feedback.Functions.Configuration;

public static class Settings
{
    /// <summary>
    /// Binds a settings class to its section, checked when the app starts (a bad setting stops it,
    /// naming the setting), and registers the bound value for injection. Chain the rules with Validate.
    /// </summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, IConfiguration section)
        where T : class
    {
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<T>>().Value);
        return services.AddOptions<T>().Bind(section).ValidateOnStart();
    }
}
