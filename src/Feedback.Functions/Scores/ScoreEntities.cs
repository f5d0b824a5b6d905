using Azure;
using Azure.Data.Tables;

namespace Feedback.Functions.Scores;

/// <summary>A changed store-day in the rollupdirty table: PartitionKey <c>d{shard:00}</c>, RowKey the store-day's feedback partition.</summary>
public sealed class DirtyMarkerEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? StoreId { get; set; }
}

/// <summary>When the last aggregation finished: rollups table, PartitionKey <c>meta</c>, RowKey <c>lastRun</c>.</summary>
public sealed class LastRunEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public DateTimeOffset? At { get; set; }
}

/// <summary>A requested rebuild: rollups table, PartitionKey <c>meta</c>, RowKey <c>rebuild</c>.</summary>
public sealed class RebuildRequestEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public DateTimeOffset RequestedAt { get; set; }
}

/// <summary>The UTC day (<c>yyyy-MM-dd</c>) retention last ran: rollups table, PartitionKey <c>meta</c>, RowKey <c>retention</c>.</summary>
public sealed class RetentionRunEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string? Day { get; set; }
}

/// <summary>
/// Retention's marks on a store's day rollup row (the counts there are <see cref="RollupRow"/>'s). Merged,
/// so both are nullable: a mark left null is not written and one set earlier stays.
/// </summary>
public sealed class RetentionMarksEntity : ITableEntity
{
    public string PartitionKey { get; set; } = "";
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public bool? AnswersDeleted { get; set; }
    public bool? ContactsErased { get; set; }
}
