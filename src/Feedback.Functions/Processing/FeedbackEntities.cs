using Feedback.Functions.Storage;

namespace Feedback.Functions.Processing;

/// <summary>A stored answer in the feedback table (keys: <see cref="StoreDayCounters"/>). Null properties are not stored.</summary>
public sealed class AnswerEntity : TableRow
{
    public int Score { get; set; }
    public int? Csat { get; set; }
    public int? Ces { get; set; }
    public string? Touchpoint { get; set; }
    public string? Source { get; set; }
    public string? DeviceId { get; set; }
    public string? DeviceKind { get; set; }
    public string? ReceiptId { get; set; }

    /// <summary>JSON array of reason codes; not stored when there are none.</summary>
    public string? Reasons { get; set; }
    public string? Comment { get; set; }
    public string? Language { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public string? JourneyId { get; set; }
    public string? StaffId { get; set; }
    public string? ContactEmail { get; set; }
    public string? ContactPhone { get; set; }
    public bool Rewarded { get; set; }

    /// <summary>Set with <see cref="Rewarded"/> by <see cref="AnswerRewardedEntity"/>; listed here so a rewrite of the whole row (retention) keeps it.</summary>
    public string? RewardCode { get; set; }

    public AnswerEntity WithoutContact()
    {
        var copy = (AnswerEntity)MemberwiseClone();
        copy.ContactEmail = null;
        copy.ContactPhone = null;
        return copy;
    }
}

/// <summary>The columns merged onto an answer row when its reward is recorded: a merge of a whole <see cref="AnswerEntity"/> would reset the others.</summary>
public sealed class AnswerRewardedEntity : TableRow
{
    public bool Rewarded { get; set; }
    public string? RewardCode { get; set; }
}

/// <summary>
/// A counter shard of a store-day in the feedback table (keys: <see cref="StoreDayCounters"/>), or
/// without keys the counts one answer adds. Every count is written on every write, as Int64.
/// </summary>
public sealed class CounterEntity : TableRow
{
    public long Promoters { get; set; }
    public long Passives { get; set; }
    public long Detractors { get; set; }
    public long Answered { get; set; }
    public long CsatTop2 { get; set; }
    public long CsatSum { get; set; }
    public long CsatCount { get; set; }
    public long CesSum { get; set; }
    public long CesCount { get; set; }

    /// <summary>Adds another shard's or an answer's counts to these.</summary>
    public void Add(CounterEntity? other)
    {
        if (other is null)
        {
            return;
        }

        Promoters += other.Promoters;
        Passives += other.Passives;
        Detractors += other.Detractors;
        Answered += other.Answered;
        CsatTop2 += other.CsatTop2;
        CsatSum += other.CsatSum;
        CsatCount += other.CsatCount;
        CesSum += other.CesSum;
        CesCount += other.CesCount;
    }
}
