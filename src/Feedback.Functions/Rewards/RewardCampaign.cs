using System.Text.Json;
using Feedback.Functions.Capture;

namespace Feedback.Functions.Rewards;

/// <summary>A store's thank-you reward, from the store's <c>reward</c> object.</summary>
public sealed record RewardCampaign(IReadOnlyDictionary<string, string> Title, int ValidDays, int DailyCap, IReadOnlyList<string> Eligible)
{
    public const string Receipt = "receipt";
    public const string Kiosk = "kiosk";
    public const string Static = "static";

    public static RewardCampaign? Parse(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<RewardCampaign>(json, Http.JsonBody.Options);

    /// <summary>
    /// Why an answer may earn the reward, or null. Never looks at the score or the comment: a reward
    /// that depends on the answer would bias the answers.
    /// </summary>
    public string? BasisFor(FeedbackSubmitted answer) => answer switch
    {
        { Source: FeedbackSubmitted.FromToken, ReceiptId: not null } when Eligible.Contains(Receipt) => Receipt,
        { Source: FeedbackSubmitted.FromToken, ReceiptId: null } when Eligible.Contains(Static) => Static,
        { Source: FeedbackSubmitted.FromDevice, DeviceKind: "kiosk" } when Eligible.Contains(Kiosk) => Kiosk,
        _ => null,
    };

    /// <summary>The title in the answer's language, else the store's first language, else any.</summary>
    public string TitleFor(string? language, IReadOnlyList<string> storeLanguages) =>
        (language is not null && Title.TryGetValue(language, out var t)) ? t
        : storeLanguages.Select(l => Title.GetValueOrDefault(l)).FirstOrDefault(x => x is not null)
          ?? Title.Values.FirstOrDefault() ?? "";
}
