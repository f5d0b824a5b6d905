namespace Feedback.Functions.Privacy;

public static class PrivacyServices
{
    /// <summary>Export and erasure of a customer's contact details, and the retention of their copies.</summary>
    public static IServiceCollection AddPrivacy(this IServiceCollection services) =>
        services.AddSingleton<Answers.ErasedContacts>().AddSingleton<PersonalData>();
}
