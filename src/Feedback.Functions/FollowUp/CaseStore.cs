using System.Runtime.CompilerServices;
using Azure;
using Feedback.Functions.Storage;
using Azure.Data.Tables;

namespace Feedback.Functions.FollowUp;

public enum CaseFilter
{
    All,
    Open,
    Overdue,
    Closed,
}

/// <summary>Cases in the cases table: idempotent creation, point reads by id, newest-first pages, and periods for the figures.</summary>
public sealed class CaseStore(StorageAccount storage)
{
    private TableClient Cases => storage.Table(TableNames.Cases);

    /// <summary>Opens the case for an answer, or returns the one an earlier delivery of the same message opened.</summary>
    public async Task<(bool Created, FollowUpCase Case)> OpenAsync(FollowUpCase opened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opened);
        if (await GetAsync(opened.StoreId, opened.FeedbackId, cancellationToken) is { } existing)
        {
            return (false, existing);
        }

        try
        {
            // The index row and the case in one transaction: two deliveries racing create one case.
            var etags = await Cases.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.Add, opened.ToIndexEntity()),
                new(TableTransactionActionType.Add, opened.ToEntity()),
            ], cancellationToken);
            return (true, opened with { ETag = etags.Value[1].Headers.ETag.GetValueOrDefault() });
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            return (false, await GetAsync(opened.StoreId, opened.FeedbackId, cancellationToken)
                ?? throw new InvalidOperationException($"Case {opened.Id} vanished.", e));
        }
    }

    public async Task<FollowUpCase?> GetAsync(string storeId, string feedbackId, CancellationToken cancellationToken)
    {
        var index = await Cases.FindAsync<TableEntity>(storeId, FollowUpCase.IndexRowKey(feedbackId), cancellationToken);
        return index?.GetString("CaseRowKey") is { } rowKey &&
               await Cases.FindAsync<TableEntity>(storeId, rowKey, cancellationToken) is { } row
            ? FollowUpCase.FromEntity(row)
            : null;
    }

    /// <summary>Saves a changed case if nobody changed it since it was read; false when somebody did.</summary>
    public async Task<FollowUpCase?> TrySaveAsync(FollowUpCase changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        try
        {
            var response = await Cases.UpdateEntityAsync(changed.ToEntity(), changed.ETag, TableUpdateMode.Replace, cancellationToken);
            return changed with { ETag = response.Headers.ETag.GetValueOrDefault() };
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return null;
        }
    }

    /// <summary>One page of a store's cases, newest first. The continuation is the table's own, passed through.</summary>
    public async Task<(IReadOnlyList<FollowUpCase> Items, string? Continuation)> ListAsync(
        string storeId, CaseFilter filter, DateTimeOffset now, int pageSize, string? continuation, CancellationToken cancellationToken)
    {
        var cases = TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey ge {"c."} and RowKey lt {"c/"}");
        var status = filter switch
        {
            CaseFilter.Open => TableClient.CreateQueryFilter($" and Status ne {FollowUpCase.Resolved}"),
            CaseFilter.Closed => TableClient.CreateQueryFilter($" and Status eq {FollowUpCase.Resolved}"),
            CaseFilter.Overdue => TableClient.CreateQueryFilter($" and Status eq {FollowUpCase.Open} and DueAt lt {now}"),
            _ => "",
        };
        await foreach (var page in Cases.QueryAsync<TableEntity>(cases + status, pageSize, cancellationToken: cancellationToken).AsPages(continuation, pageSize))
        {
            return ([.. page.Values.Select(FollowUpCase.FromEntity)], page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>The store's cases opened in [<paramref name="from"/>, <paramref name="to"/>): one range of row keys.</summary>
    public async IAsyncEnumerable<FollowUpCase> OpenedBetweenAsync(
        string storeId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Inverted ticks, fixed width: opened before `to` sorts at or after c.{inverted(to - 1 tick)}, opened at or after `from` before c.{inverted(from)}/.
        var first = "c." + FollowUpCase.Inverted(to.AddTicks(-1));
        var last = "c." + FollowUpCase.Inverted(from) + "/";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey ge {first} and RowKey lt {last}");
        await foreach (var row in Cases.QueryAsync<TableEntity>(filter, 1000, cancellationToken: cancellationToken))
        {
            yield return FollowUpCase.FromEntity(row);
        }
    }
}
