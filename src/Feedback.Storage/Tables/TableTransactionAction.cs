using Azure;

namespace Feedback.Storage.Tables;

public enum TableTransactionActionType
{
    Add,
    UpdateMerge,
    UpdateReplace,
    UpsertMerge,
    UpsertReplace,
    Delete,
}

/// <summary>
/// One operation of an entity group transaction. <paramref name="ETag"/> is the If-Match value of
/// UpdateMerge, UpdateReplace and Delete; the default means unconditional (<c>*</c>).
/// </summary>
public sealed record TableTransactionAction(TableTransactionActionType ActionType, TableEntity Entity, ETag ETag = default);
