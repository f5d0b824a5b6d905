using Feedback.Functions.Configuration;
using Feedback.Functions.Hosting;

namespace Feedback.Functions.Scores;

public static class ScoreServices
{
    public static IServiceCollection AddScores(this IServiceCollection services, ConfigurationManager configuration)
    {
        // The timer's function.json reads %Scores__Schedule%; give it its default beneath every other source.
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Scores:Schedule"] = new ScoreOptions().Schedule },
        });
        services.AddSettings<ScoreOptions>(configuration.GetSection(ScoreOptions.Section))
            .Validate(o => o.LowConfidenceMargin > 0, "Setting 'Scores__LowConfidenceMargin' must be positive.")
            .Validate(o => NCrontab.CrontabSchedule.TryParse(o.Schedule, new NCrontab.CrontabSchedule.ParseOptions { IncludingSeconds = true }) is not null,
                "Setting 'Scores__Schedule' must be a six-field NCRONTAB expression such as '0 */5 * * * *'.");
        services.AddSettings<RetentionOptions>(configuration.GetSection(RetentionOptions.Section))
            .Validate(o => o.Days >= 1 && o.ContactDays >= 1 && o.ContactDays <= o.Days,
                "Settings 'Retention__Days' and 'Retention__ContactDays' must be at least 1, with ContactDays ≤ Days.")
            .Validate(o => o.CaseDays >= o.ContactDays && o.WebhookDays >= 1,
                "Settings 'Retention__CaseDays' (at least ContactDays) and 'Retention__WebhookDays' (at least 1) are out of range.");
        services.AddSingleton<ScoreAggregator>();
        services.AddSingleton<ScoreReader>();
        services.AddSingleton<Retention>();
        return services.AddTimerFunction<AggregateScoresFunction>(AggregateScoresFunction.Name);
    }
}
