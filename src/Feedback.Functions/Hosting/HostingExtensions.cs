using Feedback.Functions.Storage;

namespace Feedback.Functions.Hosting;

public static class HostingExtensions
{
    /// <summary>Custom-handler protocol, storage, and (in standalone mode) this process's own triggers.</summary>
    public static WebApplicationBuilder AddFunctionsHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new FunctionCatalog(AppContext.BaseDirectory));
        services.AddSingleton(_ => StorageAccount.FromConfiguration(builder.Configuration));
        services.AddSingleton<QueueSignals>();
        services.AddSingleton<MessageQueue>();
        services.AddSingleton<Invoker>();
        services.AddHostedService<StorageInitializer>();

        var triggers = builder.Configuration.GetSection(TriggerOptions.Section).Get<TriggerOptions>() ?? new TriggerOptions();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(triggers));
        if (triggers.Standalone)
        {
            services.AddHostedService<StandaloneTriggers>();
        }

        return builder;
    }
}
