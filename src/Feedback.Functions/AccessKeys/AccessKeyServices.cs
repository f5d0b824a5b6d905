namespace Feedback.Functions.AccessKeys;

public static class AccessKeyServices
{
    public static IServiceCollection AddAccessKeys(this IServiceCollection services) => services.AddSingleton<AccessKeyStore>();
}
