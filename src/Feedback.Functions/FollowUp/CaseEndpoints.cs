using System.Globalization;
using System.Text.RegularExpressions;
using Feedback.Functions.AccessKeys;
using Feedback.Functions.Answers;
using Feedback.Functions.Http;
using Feedback.Functions.Storage;
using Feedback.Functions.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.FollowUp;

/// <summary>Admin API for follow-up cases, their closing-the-loop figures, and a store's contact deadline.</summary>
public static partial class CaseEndpoints
{
    private const int MaxBodyBytes = 8 * 1024;
    private const int MaxNotes = 50;
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 200;
    private const int MaxSummaryDays = 366;

    public static IEndpointRouteBuilder MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        // Access keys read the cases of their scope; a viewer key cannot change one.
        var cases = app.MapGroup("/api/cases");
        app.MapGet("/api/cases", ListAsync).RequireAccessKey(AccessTarget.StoreQuery).WithName("ListCases");
        cases.MapGet("/summary", SummaryAsync).RequireAccessKey(AccessTarget.StoreQuery).WithName("GetCaseSummary");
        cases.MapGet("/{caseId}", GetAsync).RequireAccessKey(CaseTarget).WithName("GetCase");
        cases.MapPatch("/{caseId}", UpdateAsync).RequireAccessKey(CaseTarget, changes: true).WithName("UpdateCase");

        var stores = app.MapGroup("/api/stores/{storeId}").RequireAdminKey();
        stores.MapPut("/followup", PutPolicyAsync).WithName("PutFollowUpPolicy");
        stores.MapGet("/followup", GetPolicyAsync).WithName("GetFollowUpPolicy");
        return app;
    }

    public static async Task<Results<Ok<CasePage>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string? storeId, string? status, string? pageSize, string? continuation,
        StoreDirectory directory, CaseStore cases, TimeProvider clock, CancellationToken cancellationToken)
    {
        var size = DefaultPageSize;
        string? token = null;
        CaseFilter? filter = status switch
        {
            null => CaseFilter.All,
            "open" => CaseFilter.Open,
            "overdue" => CaseFilter.Overdue,
            "closed" => CaseFilter.Closed,
            _ => null,
        };
        var v = new Validator()
            .Check(Ids.IsStoreId(storeId), "storeId", "Required: the store whose cases to list.")
            .Check(filter is not null, "status", "One of open, overdue, closed.")
            .Check(pageSize is null || (int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out size) && size is >= 1 and <= MaxPageSize),
                "pageSize", $"A whole number from 1 to {MaxPageSize}.")
            .Check(PageToken.TryDecode(continuation, out token), PageTokenRefusedException.Field, PageTokenRefusedException.Rule);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (await directory.GetStoreAsync(storeId!, cancellationToken) is null)
        {
            return Problems.NotFound($"There is no store '{storeId}'.");
        }

        var now = clock.GetUtcNow();
        var (items, next) = await cases.ListAsync(storeId!, filter!.Value, now, size, token, cancellationToken);
        return TypedResults.Ok(new CasePage([.. items.Select(c => CaseView.From(c, now))], PageToken.Encode(next)));
    }

    public static async Task<Results<Ok<CaseView>, ProblemHttpResult>> GetAsync(
        string caseId, CaseStore cases, TimeProvider clock, CancellationToken cancellationToken) =>
        TryParseCaseId(caseId, out var storeId, out var feedbackId) && await cases.GetAsync(storeId, feedbackId, cancellationToken) is { } found
            ? TypedResults.Ok(CaseView.From(found, clock.GetUtcNow()))
            : Problems.NotFound($"There is no case '{caseId}'.");

    /// <summary>Records a contact or the resolution, with a note. The first "contacted" sets the time of first contact.</summary>
    public static async Task<Results<Ok<CaseView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        string caseId, HttpRequest request, CaseStore cases, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<CaseUpdateRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var v = new Validator()
            .Check(body!.Status is FollowUpCase.Contacted or FollowUpCase.Resolved, "status", "Required: \"contacted\" or \"resolved\".")
            .Check(body.Note is null || body.Note.Length <= 1000, "note", "At most 1,000 characters.");
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (!TryParseCaseId(caseId, out var storeId, out var feedbackId))
        {
            return Problems.NotFound($"There is no case '{caseId}'.");
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await cases.GetAsync(storeId, feedbackId, cancellationToken) is not { } current)
            {
                return Problems.NotFound($"There is no case '{caseId}'.");
            }

            if (current.Status == FollowUpCase.Resolved)
            {
                return Problems.Conflict("This case is resolved already.");
            }

            if (current.Notes.Count >= MaxNotes)
            {
                return Problems.Conflict($"This case has {MaxNotes} updates, the most it can hold; resolve it.");
            }

            var now = clock.GetUtcNow();
            var changed = current with
            {
                Status = body.Status!,
                FirstContactedAt = current.FirstContactedAt ?? (body.Status == FollowUpCase.Contacted ? now : null),
                ResolvedAt = body.Status == FollowUpCase.Resolved ? now : null,
                UpdatedAt = now,
                Notes = [.. current.Notes, new CaseNote(now, body.Status!, body.Note)],
            };
            if (await cases.TrySaveAsync(changed, cancellationToken) is { } saved)
            {
                return TypedResults.Ok(CaseView.From(saved, now));
            }
        }

        return Problems.Conflict("The case is being changed by someone else; try again.");
    }

    /// <summary>Closing-the-loop figures per store and period; shown next to the scores, served here.</summary>
    public static async Task<Results<Ok<CaseSummaryView>, ValidationProblem, ProblemHttpResult>> SummaryAsync(
        string? storeId, string? from, string? to, StoreDirectory directory, CaseStore cases, TimeProvider clock, CancellationToken cancellationToken)
    {
        DateOnly first = default, last = default;
        var v = new Validator()
            .Check(Ids.IsStoreId(storeId), "storeId", "Required: the store whose figures to show.")
            .Check(from is null || StoreDay.TryParseDate(from, out first), "from", StoreDay.DateRule)
            .Check(to is null || StoreDay.TryParseDate(to, out last), "to", StoreDay.DateRule);
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (await directory.GetStoreAsync(storeId!, cancellationToken) is not { } store)
        {
            return Problems.NotFound($"There is no store '{storeId}'.");
        }

        var now = clock.GetUtcNow();
        var zone = store.Zone;
        last = to is null ? StoreDay.LocalDate(now, zone) : last;
        first = from is null ? last.AddDays(-27) : first;
        if (first > last || last.DayNumber - first.DayNumber + 1 > MaxSummaryDays)
        {
            return new Validator().Check(false, "from", $"Must be on or before 'to', at most {MaxSummaryDays} days before it.").Problem();
        }

        return TypedResults.Ok(await cases.SummarizeAsync(store, first, last, now, cancellationToken));
    }

    public static async Task<Results<Ok<FollowUpPolicyView>, ValidationProblem, ProblemHttpResult>> PutPolicyAsync(
        string storeId, HttpRequest request, StoreDirectory directory, FollowUpPolicies policies, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<FollowUpPolicyRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var v = new Validator().Check(body!.DeadlineHours is >= 1 and <= 720, "deadlineHours", "Required: whole hours from 1 to 720.");
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (!Ids.IsStoreId(storeId) || await directory.GetStoreAsync(storeId, cancellationToken) is null)
        {
            return Problems.NotFound($"There is no store '{storeId}'.");
        }

        await policies.SetDeadlineAsync(storeId, body.DeadlineHours!.Value, cancellationToken);
        return TypedResults.Ok(new FollowUpPolicyView(storeId, body.DeadlineHours.Value));
    }

    public static async Task<Results<Ok<FollowUpPolicyView>, ProblemHttpResult>> GetPolicyAsync(
        string storeId, StoreDirectory directory, FollowUpPolicies policies, CancellationToken cancellationToken) =>
        Ids.IsStoreId(storeId) && await directory.GetStoreAsync(storeId, cancellationToken) is not null
            ? TypedResults.Ok(new FollowUpPolicyView(storeId, (int)(await policies.ReadDeadlineAsync(storeId, cancellationToken)).TotalHours))
            : Problems.NotFound($"There is no store '{storeId}'.");

    private static AccessTarget CaseTarget(HttpContext context) =>
        TryParseCaseId(context.Request.RouteValues["caseId"] as string ?? "", out var storeId, out _) ? AccessTarget.Store(storeId) : AccessTarget.None;

    internal static bool TryParseCaseId(string caseId, out string storeId, out string feedbackId)
    {
        var dot = caseId.IndexOf('.', StringComparison.Ordinal);
        storeId = dot > 0 ? caseId[..dot] : "";
        feedbackId = dot > 0 ? caseId[(dot + 1)..] : "";
        return Ids.IsStoreId(storeId) && Ids.IsStoredAnswerId(feedbackId);
    }
}
