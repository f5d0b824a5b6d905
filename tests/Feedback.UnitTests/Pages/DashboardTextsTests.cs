using System.Text.Json;
using Feedback.Functions.Dashboard;
using Feedback.Functions.Pages;

namespace Feedback.UnitTests.Pages;

public sealed class DashboardTextsTests
{
    private static readonly PageAssets Assets = new();

    [Fact]
    public void EveryDashboardLanguage_HasExactlyTheKeysOfTheEnglishOne_AndNoEmptyText()
    {
        var english = Keys("en");

        Assert.True(english.Count > 50, $"only {english.Count} texts");
        Assert.All(DashboardEndpoints.Languages, language => Assert.Equal(english, Keys(language)));
        Assert.Equal(["cs", "sk", "pl", "en"], DashboardEndpoints.Languages);
    }

    [Theory]
    [InlineData("cs", "Bez přístupu")]
    [InlineData("sk", "Bez prístupu")]
    [InlineData("pl", "Brak dostępu")]
    [InlineData("en", "No access")]
    public void NoAccess_IsSaidInEachLanguage(string language, string title)
    {
        using var document = JsonDocument.Parse(Assets.Get(DashboardEndpoints.TextsPath(language)).Body);
        Assert.Equal(title, document.RootElement.GetProperty("noAccess").GetProperty("title").GetString());
        Assert.Equal(language, document.RootElement.GetProperty("language").GetString());
    }

    private static SortedSet<string> Keys(string language)
    {
        using var document = JsonDocument.Parse(Assets.Get(DashboardEndpoints.TextsPath(language)).Body);
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        Walk(document.RootElement, "", keys);
        return keys;
    }

    private static void Walk(JsonElement element, string prefix, SortedSet<string> keys)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Walk(property.Value, prefix + property.Name + ".", keys);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(property.Value.GetString()), prefix + property.Name);
                keys.Add(prefix + property.Name);
            }
        }
    }
}
