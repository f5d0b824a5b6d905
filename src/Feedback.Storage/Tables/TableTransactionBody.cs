using System.Text;

namespace Feedback.Storage.Tables;

/// <summary>The multipart/mixed body of an entity group transaction: one batch holding one changeset.</summary>
internal static class TableTransactionBody
{
    public const string Accept = "application/json;odata=minimalmetadata";

    /// <param name="tableUri">The table's absolute URI; sub-requests address it and its entities.</param>
    public static string Build(string tableUri, IReadOnlyList<TableTransactionAction> actions, string batchBoundary, string changesetBoundary)
    {
        var body = new StringBuilder();
        body.Append("--").Append(batchBoundary).Append("\r\n")
            .Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append("\r\n")
            .Append("\r\n");
        foreach (var action in actions)
        {
            body.Append("--").Append(changesetBoundary).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append("Content-Transfer-Encoding: binary\r\n")
                .Append("\r\n");
            AppendRequest(body, tableUri, action);
        }

        body.Append("--").Append(changesetBoundary).Append("--\r\n")
            .Append("--").Append(batchBoundary).Append("--\r\n");
        return body.ToString();
    }

    private static void AppendRequest(StringBuilder body, string tableUri, TableTransactionAction action)
    {
        var entity = action.Entity;
        var entityUri = tableUri + TableUris.EntityKeys(entity.PartitionKey, entity.RowKey);
        var ifMatch = action.ETag == default ? "*" : action.ETag.ToString();
        var (method, uri, condition, hasBody) = action.ActionType switch
        {
            TableTransactionActionType.Add => ("POST", tableUri, null, true),
            TableTransactionActionType.UpdateMerge => ("MERGE", entityUri, ifMatch, true),
            TableTransactionActionType.UpdateReplace => ("PUT", entityUri, ifMatch, true),
            TableTransactionActionType.UpsertMerge => ("MERGE", entityUri, null, true),
            TableTransactionActionType.UpsertReplace => ("PUT", entityUri, null, true),
            TableTransactionActionType.Delete => ("DELETE", entityUri, ifMatch, false),
            _ => throw new ArgumentOutOfRangeException(nameof(action), action.ActionType, "Unknown transaction action type."),
        };

        body.Append(method).Append(' ').Append(uri).Append(" HTTP/1.1\r\n")
            .Append("Accept: ").Append(Accept).Append("\r\n");
        if (hasBody)
        {
            body.Append("Content-Type: application/json\r\n");
        }

        if (action.ActionType == TableTransactionActionType.Add)
        {
            body.Append("Prefer: return-no-content\r\n");
        }

        if (condition is not null)
        {
            body.Append("If-Match: ").Append(condition).Append("\r\n");
        }

        body.Append("DataServiceVersion: 3.0;\r\n")
            .Append("\r\n");
        if (hasBody)
        {
            // One line: Azurite finds the JSON body with a single-line match.
            body.Append(Encoding.UTF8.GetString(TableEntitySerializer.Serialize(entity))).Append("\r\n");
        }
    }
}
