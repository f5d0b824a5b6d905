using System.Text.Json;
using Feedback.Functions.Capture;

namespace Feedback.Functions.Rewards;

/// <summary>A store's thank-you reward, from the store's <c>reward</c> object.</summary>
public sealed record RewardCampaign(IReadOnlyDictionary<string, string> Title, int ValidDays, int DailyCap, IReadOnlyList<string> Eligible)
{
    public const string Receipt = "receipt";
    public const string Kiosk = "kiosk";
    public const string Static = "static";

    /// <summary>
    /// A kiosk answer earns the reward only when it reaches the server while the customer can still be at
    /// the kiosk to see it. Answers uploaded later from an offline kiosk's queue earn none: the kiosk told
    /// the customer so, and an unseen reward would only use up the daily cap and the kiosk's interval.
    /// </summary>
    public static readonly TimeSpan KioskRewardWindow = TimeSpan.FromMinutes(2);

    public static RewardCampaign? Parse(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<RewardCampaign>(json, Http.JsonBody.Options);

    /// <summary>Checks a store's reward object before it is stored, so a bad campaign never reaches the queue processors.</summary>
    public static void Validate(JsonElement reward, Http.Validator v)
    {
        RewardCampaign? campaign = null;
        try
        {
            campaign = reward.Deserialize<RewardCampaign>(Http.JsonBody.Options);
        }
        catch (JsonException)
        {
        }

        if (campaign is null)
        {
            v.Add("reward", "Must be an object with title, validDays, dailyCap and eligible.");
            return;
        }

        v.Check(campaign.Title is { Count: >= 1 } t && t.All(p => Stores.StoreEndpoints.LanguagePattern().IsMatch(p.Key) && p.Value is { Length: >= 1 and <= 100 }),
            "reward.title", "Required: titles of 1–100 characters by language, e.g. {\"cs\": \"…\", \"en\": \"…\"}.");
        v.Check(campaign.ValidDays is >= 1 and <= 365, "reward.validDays", "Required: 1–365 days.");
        v.Check(campaign.DailyCap is >= 1 and <= 1_000_000, "reward.dailyCap", "Required: 1–1,000,000 rewards per store-local day.");
        v.Check(campaign.Eligible is { Count: >= 1 } e && e.All(x => x is Receipt or Kiosk or Static) && e.Distinct().Count() == e.Count,
            "reward.eligible", "Required: one or more of \"receipt\", \"kiosk\", \"static\".");
    }

    /// <summary>
    /// Why an answer may earn the reward, or null. Never looks at the score or the comment: a reward
    /// that depends on the answer would bias the answers.
    /// </summary>
    public string? BasisFor(FeedbackSubmitted answer) => answer switch
    {
        { Source: FeedbackSubmitted.FromToken, ReceiptId: not null } when Eligible.Contains(Receipt) => Receipt,
        { Source: FeedbackSubmitted.FromToken, ReceiptId: null } when Eligible.Contains(Static) => Static,
        { Source: FeedbackSubmitted.FromDevice, DeviceKind: "kiosk" } when Eligible.Contains(Kiosk) && answer.ReceivedAt - answer.SubmittedAt <= KioskRewardWindow => Kiosk,
        _ => null,
    };

    /// <summary>The title in the answer's language, else the store's first language, else any.</summary>
    public string TitleFor(string? language, IReadOnlyList<string> storeLanguages) =>
        (language is not null && (Title.TryGetValue(language, out var t) || Title.TryGetValue(language.Split('-')[0], out t))) ? t
        : storeLanguages.Select(l => Title.GetValueOrDefault(l)).FirstOrDefault(x => x is not null)
          ?? Title.Values.FirstOrDefault() ?? "";
}
