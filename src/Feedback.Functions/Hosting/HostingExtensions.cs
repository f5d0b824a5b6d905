using Feedback.Functions.Storage;
using Microsoft.Azure.WebJobs;
using Microsoft.Azure.WebJobs.Host.Timers;

namespace Feedback.Functions.Hosting;

public static class HostingExtensions
{
    /// <summary>Custom-handler protocol, storage, and (in standalone mode) this process's own triggers.</summary>
    public static WebApplicationBuilder AddFunctionsHosting(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var catalog = new FunctionCatalog(AppContext.BaseDirectory);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(catalog);
        services.AddStorage(builder.Configuration);
        services.AddSingleton<MessageQueue>();
        services.AddSingleton<Invoker>();
        services.AddHostedService<StorageInitializer>();

        var triggers = builder.Configuration.GetSection(TriggerOptions.Section).Get<TriggerOptions>() ?? new TriggerOptions();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(triggers));
        if (triggers.Standalone)
        {
            // Queue triggers on the extension the Functions host loads, with host.json's queue settings and, as under
            // the host, app settings overriding them (AzureFunctionsJobHost__extensions__queues__maxDequeueCount=…).
            builder.Host.ConfigureWebJobs(webJobs => webJobs
                .AddExecutionContextBinding()
                .AddAzureStorageQueues(options =>
                {
                    catalog.QueueSettings.ApplyTo(options);
                    builder.Configuration.GetSection("AzureFunctionsJobHost:extensions:queues").Bind(options);
                    QueueSettings.Check(options);
                }));
            services.AddSingleton<ITypeLocator, QueueTriggers.Locator>();
            services.AddSingleton<IWebJobsExceptionHandlerFactory, TriggerFailures>();
            services.AddHostedService<TimerTriggers>();
        }

        return builder;
    }
}
