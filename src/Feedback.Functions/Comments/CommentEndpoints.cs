using System.Globalization;
using Feedback.Functions.AccessKeys;
using Feedback.Functions.Answers;
using Feedback.Functions.Http;
using Feedback.Functions.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Comments;

/// <summary>GET /api/comments: a store's latest comments, for the dashboard's store page.</summary>
public static class CommentEndpoints
{
    private const int DefaultLimit = 20;
    private const int MaxLimit = 100;
    private const int DefaultDays = 28;
    private const int MaxDays = 92;

    public static IEndpointRouteBuilder MapCommentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/comments", ListAsync).WithName("ListComments").RequireAccessKey(AccessTarget.StoreQuery);
        return app;
    }

    /// <summary>Comments of the <c>days</c> local days up to <c>to</c> (default: the store's today), newest first, at most <c>limit</c>.</summary>
    public static async Task<Results<Ok<CommentList>, ValidationProblem, ProblemHttpResult>> ListAsync(
        string? storeId, string? to, string? days, string? limit, StoreCache stores, CommentReader comments, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        DateOnly last = default;
        int count = DefaultLimit, span = DefaultDays;
        var v = new Validator()
            .Check(Ids.IsStoreId(storeId), "storeId", "Required: the store whose comments to list.")
            .Check(to is null || StoreDay.TryParseDate(to, out last), "to", StoreDay.DateRule)
            .Check(days is null || (int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out span) && span is >= 1 and <= MaxDays),
                "days", $"A whole number from 1 to {MaxDays}.")
            .Check(limit is null || (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) && count is >= 1 and <= MaxLimit),
                "limit", $"A whole number from 1 to {MaxLimit}.");
        if (!v.IsValid)
        {
            return v.Problem();
        }

        if (await stores.GetAsync(storeId!, cancellationToken) is not { } store)
        {
            return Problems.NotFound($"There is no store '{storeId}'.");
        }

        last = to is null ? StoreDay.LocalDate(clock.GetUtcNow(), store.Zone) : last;
        return TypedResults.Ok(await comments.LatestAsync(store, last, span, count, cancellationToken));
    }
}
