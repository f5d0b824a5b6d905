using System.Text.Json;
using System.Text.Json.Serialization;
using Feedback.Functions.Answers;
using Feedback.Functions.Http;

namespace Feedback.Functions.Stores;

/// <summary>Why an answer may earn the reward: its receipt, its kiosk, or a static (table) code.</summary>
[JsonConverter(typeof(LowercaseEnum<RewardBasis>))]
public enum RewardBasis
{
    Receipt,
    Kiosk,
    Static,
}

/// <summary>
/// A store's thank-you reward, from the store's <c>reward</c> object: part of the store's settings,
/// parsed once when the store is read (<see cref="Store.Reward"/>); Rewards/ issues and redeems it.
/// </summary>
public sealed record RewardCampaign(IReadOnlyDictionary<string, string> Title, int ValidDays, int DailyCap, IReadOnlyList<string> Eligible)
{
    public bool Allows(RewardBasis basis) => Eligible.Contains(basis.ToWire());

    /// <summary>
    /// A kiosk answer earns the reward only when it reaches the server while the customer can still be at
    /// the kiosk to see it. Answers uploaded later from an offline kiosk's queue earn none: the kiosk told
    /// the customer so, and an unseen reward would only use up the daily cap and the kiosk's interval.
    /// </summary>
    public static readonly TimeSpan KioskRewardWindow = TimeSpan.FromMinutes(2);

    public static RewardCampaign? Parse(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<RewardCampaign>(json, JsonBody.Options);

    /// <summary>Checks a store's reward object before it is stored, so a bad campaign never reaches the queue processors.</summary>
    public static void Validate(JsonElement reward, Validator v)
    {
        RewardCampaign? campaign = null;
        try
        {
            campaign = reward.Deserialize<RewardCampaign>(JsonBody.Options);
        }
        catch (JsonException)
        {
        }

        if (campaign is null)
        {
            v.Add("reward", "Must be an object with title, validDays, dailyCap and eligible.");
            return;
        }

        v.Check(campaign.Title is { Count: >= 1 } t && t.All(p => Ids.IsLanguage(p.Key) && p.Value is { Length: >= 1 and <= 100 }),
            "reward.title", "Required: titles of 1–100 characters by language, e.g. {\"cs\": \"…\", \"en\": \"…\"}.");
        v.Check(campaign.ValidDays is >= 1 and <= 365, "reward.validDays", "Required: 1–365 days.");
        v.Check(campaign.DailyCap is >= 1 and <= 1_000_000, "reward.dailyCap", "Required: 1–1,000,000 rewards per store-local day.");
        v.Check(campaign.Eligible is { Count: >= 1 } e && e.All(x => WireEnum.TryParse<RewardBasis>(x, out _)) && e.Distinct().Count() == e.Count,
            "reward.eligible", "Required: one or more of \"receipt\", \"kiosk\", \"static\".");
    }

    /// <summary>
    /// Why an answer may earn the reward, or null. Never looks at the score or the comment: a reward
    /// that depends on the answer would bias the answers.
    /// </summary>
    public RewardBasis? BasisFor(FeedbackSubmitted answer) => answer switch
    {
        { Source: AnswerSource.Token, ReceiptId: not null } when Allows(RewardBasis.Receipt) => RewardBasis.Receipt,
        { Source: AnswerSource.Token, ReceiptId: null } when Allows(RewardBasis.Static) => RewardBasis.Static,
        { Source: AnswerSource.Device, DeviceKind: DeviceKind.Kiosk } when Allows(RewardBasis.Kiosk) && answer.ReceivedAt - answer.SubmittedAt <= KioskRewardWindow => RewardBasis.Kiosk,
        _ => null,
    };

    /// <summary>The title in the answer's language, else the store's first language, else any.</summary>
    public string TitleFor(string? language, IReadOnlyList<string> storeLanguages) =>
        (language is not null && (Title.TryGetValue(language, out var t) || Title.TryGetValue(language.Split('-')[0], out t))) ? t
        : storeLanguages.Select(l => Title.GetValueOrDefault(l)).FirstOrDefault(x => x is not null)
          ?? Title.Values.FirstOrDefault() ?? "";
}
