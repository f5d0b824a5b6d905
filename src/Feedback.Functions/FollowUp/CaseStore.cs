using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Feedback.Functions.Answers;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;

namespace Feedback.Functions.FollowUp;

public enum CaseFilter
{
    All,
    Open,
    Overdue,
    Closed,
}

/// <summary>
/// Cases in the cases table: idempotent creation, point reads by id, newest-first pages, and periods for the figures.
/// PartitionKey = store id; a case row <c>c.{inverted created ticks}.{feedback id}</c> so a store's cases list newest first,
/// and an index row <c>f.{feedback id}</c> that makes creation idempotent and finds a case by id.
/// </summary>
public sealed class CaseStore(StorageAccount storage)
{
    private TableClient Cases => storage.Table(TableNames.Cases);

    public static string RowKey(DateTimeOffset createdAt, string feedbackId) => $"c.{Inverted(createdAt)}.{feedbackId}";

    public static string IndexRowKey(string feedbackId) => "f." + feedbackId;

    /// <summary>Ticks counted back from the end of time, fixed width, so later times sort first.</summary>
    public static string Inverted(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Opens the case for an answer, or returns the one an earlier delivery of the same message opened.</summary>
    public async Task<(bool Created, FollowUpCase Case)> OpenAsync(FollowUpCase opened, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opened);
        try
        {
            // The index row and the case in one transaction: two deliveries racing create one case, and a redelivery
            // finds the index row taken (no read first: most follow-ups arrive once).
            var index = new CaseIndexEntity
            {
                PartitionKey = opened.StoreId,
                RowKey = IndexRowKey(opened.FeedbackId),
                CaseRowKey = RowKey(opened.CreatedAt, opened.FeedbackId),
            };
            var etags = await Cases.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.Add, index),
                new(TableTransactionActionType.Add, ToEntity(opened)),
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
        var index = await Cases.FindAsync<CaseIndexEntity>(storeId, IndexRowKey(feedbackId), cancellationToken);
        return index?.CaseRowKey is { } rowKey &&
               await Cases.FindAsync<CaseEntity>(storeId, rowKey, cancellationToken) is { } row
            ? ToCase(row)
            : null;
    }

    /// <summary>Saves a changed case if nobody changed it since it was read; false when somebody did.</summary>
    public async Task<FollowUpCase?> TrySaveAsync(FollowUpCase changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        try
        {
            var response = await Cases.UpdateEntityAsync(ToEntity(changed), changed.ETag, TableUpdateMode.Replace, cancellationToken);
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
        var (rows, next) = await Cases.QueryAsync<CaseEntity>(cases + status, pageSize, cancellationToken: cancellationToken).FirstPageAsync(continuation, pageSize);
        return ([.. rows.Select(ToCase)], next);
    }

    /// <summary>Open cases past their deadline, chain-wide: a scan of the case rows, for a periodic gauge only.</summary>
    public async Task<long> CountOverdueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        long count = 0;
        var filter = TableClient.CreateQueryFilter($"RowKey ge {"c."} and RowKey lt {"c/"} and Status eq {FollowUpCase.Open} and DueAt lt {now}");
        await foreach (var _ in Cases.QueryAsync<CaseEntity>(filter, 1000, ["PartitionKey"], cancellationToken))
        {
            count++;
        }

        return count;
    }

    /// <summary>The store's cases opened in [<paramref name="from"/>, <paramref name="to"/>): one range of row keys.</summary>
    public async IAsyncEnumerable<FollowUpCase> OpenedBetweenAsync(
        string storeId, DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Inverted ticks, fixed width: opened before `to` sorts at or after c.{inverted(to - 1 tick)}, opened at or after `from` before c.{inverted(from)}/.
        var first = "c." + Inverted(to.AddTicks(-1));
        var last = "c." + Inverted(from) + "/";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {storeId} and RowKey ge {first} and RowKey lt {last}");
        await foreach (var row in Cases.QueryAsync<CaseEntity>(filter, 1000, cancellationToken: cancellationToken))
        {
            yield return ToCase(row);
        }
    }

    /// <summary>The closing-the-loop figures of the cases a store opened between two local dates; also served with the store's scores.</summary>
    public async Task<CaseSummaryView> SummarizeAsync(
        Store store, DateOnly first, DateOnly last, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var zone = store.Zone;
        var opened = new List<FollowUpCase>();
        await foreach (var c in OpenedBetweenAsync(store.Id, new StoreDay(store.Id, first).StartsAt(zone), new StoreDay(store.Id, last.AddDays(1)).StartsAt(zone), cancellationToken))
        {
            opened.Add(c);
        }

        var f = CaseFigures.Compute(opened, now);
        return new CaseSummaryView(
            store.Id, first, last, store.TimeZone, f.Cases, f.DetractorCases, f.CallbackCases, f.Contacted, f.ContactedWithinDeadline,
            f.Decided, f.Pending, f.Overdue, f.Resolved,
            f.ShareContactedWithinDeadline is { } share ? Math.Round(share, 4) : null,
            f.MedianTimeToFirstContact is { } median ? Math.Round(median.TotalMinutes, 1) : null);
    }

    private static CaseEntity ToEntity(FollowUpCase c) => CaseNoteColumns.Write(c.Notes, new()
    {
        PartitionKey = c.StoreId,
        RowKey = RowKey(c.CreatedAt, c.FeedbackId),
        FeedbackId = c.FeedbackId,
        Score = c.Answer.Score.Value,
        Detractor = c.Answer.Detractor,
        CallbackRequested = c.Answer.CallbackRequested,
        Comment = c.Answer.Comment,
        Reasons = c.Answer.Reasons.Count == 0 ? null : JsonSerializer.Serialize(c.Answer.Reasons),
        ContactEmail = c.Answer.Contact?.Email,
        ContactPhone = c.Answer.Contact?.Phone,
        Touchpoint = c.Answer.Touchpoint.ToWire(),
        Language = c.Answer.Language,
        SubmittedAt = c.Answer.SubmittedAt,
        CreatedAt = c.CreatedAt,
        DueAt = c.DueAt,
        Status = c.Status,
        FirstContactedAt = c.FirstContactedAt,
        ResolvedAt = c.ResolvedAt,
        UpdatedAt = c.UpdatedAt,
    });

    private static FollowUpCase ToCase(CaseEntity e) => new(
        new FollowUpRequested(
            e.FeedbackId,
            e.PartitionKey,
            new NpsScore(e.Score),
            e.CallbackRequested,
            e.Comment,
            e.Reasons is { } reasons ? JsonSerializer.Deserialize<string[]>(reasons) ?? [] : [],
            e.ContactEmail is null && e.ContactPhone is null ? null : new Contact(e.ContactEmail, e.ContactPhone),
            WireEnum.TryParse<Touchpoint>(e.Touchpoint, out var touchpoint) ? touchpoint : Touchpoint.Store,
            e.Language,
            e.SubmittedAt),
        e.CreatedAt,
        e.DueAt,
        e.Status ?? FollowUpCase.Open,
        e.FirstContactedAt,
        e.ResolvedAt,
        e.UpdatedAt,
        CaseNoteColumns.Read(e))
    {
        ETag = e.ETag,
    };
}

/// <summary>A case row of the cases table.</summary>
public sealed class CaseEntity : TableRow
{
    public string FeedbackId { get; set; } = "";

    public int Score { get; set; }

    /// <summary>Stored with the row; read back, the case derives it from <see cref="Score"/>.</summary>
    public bool Detractor { get; set; }

    public bool CallbackRequested { get; set; }

    public string? Comment { get; set; }

    /// <summary>Reason codes as a JSON array; not stored when there are none.</summary>
    public string? Reasons { get; set; }

    public string? ContactEmail { get; set; }

    public string? ContactPhone { get; set; }

    public string Touchpoint { get; set; } = "";

    public string? Language { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public string? Status { get; set; }

    public DateTimeOffset? FirstContactedAt { get; set; }

    public DateTimeOffset? ResolvedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>The <see cref="CaseNote"/>s as a JSON array, split across these columns (<see cref="CaseNoteColumns"/>); not stored when there are none.</summary>
    public string? Notes { get; set; }

    public string? Notes1 { get; set; }

    public string? Notes2 { get; set; }

    public string? Notes3 { get; set; }

    public string? Notes4 { get; set; }

    public string? Notes5 { get; set; }

    public string? Notes6 { get; set; }

    public string? Notes7 { get; set; }

    public string? Notes8 { get; set; }

    public string? Notes9 { get; set; }
}

/// <summary>An index row of the cases table: where a feedback id's case row is.</summary>
public sealed class CaseIndexEntity : TableRow
{
    public string? CaseRowKey { get; set; }
}
