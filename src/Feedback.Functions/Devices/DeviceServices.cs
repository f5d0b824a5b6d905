using Feedback.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace Feedback.Functions.Devices;

public static class DeviceServices
{
    public static IServiceCollection AddDevices(this IServiceCollection services, ConfigurationManager configuration)
    {
        // The timer's function.json reads %Devices__CheckSchedule%; give it its default beneath every other source.
        configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = new Dictionary<string, string?> { ["Devices:CheckSchedule"] = new DeviceOptions().CheckSchedule },
        });
        services.AddOptions<DeviceOptions>().Bind(configuration.GetSection(DeviceOptions.Section))
            .Validate(o => o.OfflineAfter >= TimeSpan.FromSeconds(1) && o.OfflineAfter <= TimeSpan.FromDays(7),
                "Setting 'Devices__OfflineAfter' must be from 1 second to 7 days.")
            .Validate(o => o.HeartbeatInterval >= TimeSpan.FromMinutes(1) && o.HeartbeatInterval <= TimeSpan.FromHours(1),
                "Setting 'Devices__HeartbeatInterval' must be from 1 minute to 1 hour: kiosks report at most once a minute.")
            .Validate(o => o.HeartbeatInterval < o.OfflineAfter, "Setting 'Devices__HeartbeatInterval' must be shorter than 'Devices__OfflineAfter'.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DeviceOptions>>().Value);
        services.AddSingleton<DeviceHealthTable>();
        return services.AddTimerFunction<CheckDevicesFunction>(CheckDevicesFunction.Name);
    }
}
