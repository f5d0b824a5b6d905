using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Deployment;

/// <summary>
/// The app settings are a contract between the app, local.settings.sample.json (which lists them
/// all) and infra/main.bicep (which sets them in Azure). These tests keep the three in step.
/// </summary>
public sealed partial class SettingsContractTests
{
    private static readonly string Root = Azurite.RepositoryRoot();

    /// <summary>What the platform reads, not the app.</summary>
    private static readonly HashSet<string> Platform =
        ["FUNCTIONS_WORKER_RUNTIME", "AZURE_CLIENT_ID", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];

    /// <summary>Settings the app refuses to start without (storage in its identity-based form in Azure).</summary>
    private static readonly string[] Required =
        ["AzureWebJobsStorage__accountName", "Admin__ApiKey", "Tokens__ActiveKeyId", "Tokens__Keys__<kid>", "PublicBaseUrl"];

    /// <summary>Every setting the app binds: each options class's section and properties, plus storage and the public URL.</summary>
    private static HashSet<string> AppReads()
    {
        var settings = new HashSet<string>(StringComparer.Ordinal)
        {
            "AzureWebJobsStorage", "AzureWebJobsStorage__accountName", "AzureWebJobsStorage__tableServiceUri",
            "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId", "PublicBaseUrl",
        };
        foreach (var type in typeof(Program).Assembly.GetTypes())
        {
            if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field)
            {
                var section = (string)field.GetRawConstantValue()!;
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                {
                    settings.Add(property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>)
                        ? $"{section}__{property.Name}__<kid>"
                        : $"{section}__{property.Name}");
                }
            }
        }

        return settings;
    }

    private static HashSet<string> Sample() =>
        [.. JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "local.settings.sample.json")))!["Values"]!.AsObject()
            .Select(p => Regex.Replace(p.Key, "^Tokens__Keys__.+$", "Tokens__Keys__<kid>"))];

    private static HashSet<string> Bicep()
    {
        var bicep = File.ReadAllText(Path.Combine(Root, "infra", "main.bicep"));
        var block = AppSettingsBlock().Match(bicep);
        Assert.True(block.Success, "infra/main.bicep has no 'var appSettings = { … }' block");
        return [.. SettingName().Matches(block.Groups[1].Value)
            .Select(m => Regex.Replace(m.Groups[1].Value, @"\$\{[^}]+\}", "<kid>"))
            .Append("Tokens__Keys__<kid>")];
    }

    [Fact]
    public void EveryRequiredSetting_IsSetByBicep()
    {
        var bicep = Bicep();
        Assert.All(Required, setting => Assert.Contains(setting, bicep));
    }

    [Fact]
    public void EverySettingBicepSets_IsOneTheAppOrThePlatformReads()
    {
        var known = AppReads();
        Assert.All(Bicep(), setting => Assert.True(known.Contains(setting) || Platform.Contains(setting), $"{setting} is set by main.bicep but read by nothing"));
    }

    [Fact]
    public void TheSampleSettings_ListEverySettingTheAppReads_AndNothingElse()
    {
        var sample = Sample();
        var reads = AppReads();
        Assert.Empty(reads.Except(sample).Order());
        Assert.Empty(sample.Except(reads).Except(Platform).Order());
    }

    [GeneratedRegex(@"var appSettings = \{(.*?)\n\}", RegexOptions.Singleline)]
    private static partial Regex AppSettingsBlock();

    [GeneratedRegex(@"^\s*'?([A-Za-z_][A-Za-z0-9_]*(?:\$\{[^}]+\})?)'?\s*:", RegexOptions.Multiline)]
    private static partial Regex SettingName();
}
