using Feedback.Functions.Storage;

namespace Feedback.Functions.Scores;

/// <summary>When the last aggregation finished: rollups table, PartitionKey <c>meta</c>, RowKey <c>lastRun</c>.</summary>
public sealed class LastRunEntity : TableRow
{
    public DateTimeOffset? At { get; set; }
}

/// <summary>A requested rebuild: rollups table, PartitionKey <c>meta</c>, RowKey <c>rebuild</c>.</summary>
public sealed class RebuildRequestEntity : TableRow
{
    public DateTimeOffset RequestedAt { get; set; }
}

/// <summary>The UTC day (<c>yyyy-MM-dd</c>) retention last ran: rollups table, PartitionKey <c>meta</c>, RowKey <c>retention</c>.</summary>
public sealed class RetentionRunEntity : TableRow
{
    public string? Day { get; set; }
}

/// <summary>
/// Retention's marks on a store's day rollup row (the counts there are <see cref="RollupRow"/>'s). Merged,
/// so both are nullable: a mark left null is not written and one set earlier stays.
/// </summary>
public sealed class RetentionMarksEntity : TableRow
{
    public bool? AnswersDeleted { get; set; }
    public bool? ContactsErased { get; set; }
}
