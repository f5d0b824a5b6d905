using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.Http;

/// <summary>RFC 9457 problem details, the one error shape of the API.</summary>
public static class Problems
{
    public static ProblemHttpResult Create(int status, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: status);

    public static ProblemHttpResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Unauthorized(string detail) => Create(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    public static ProblemHttpResult Forbidden(string detail) => Create(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static ProblemHttpResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "Conflict", detail);

    /// <summary>429, telling the client with Retry-After when to try again.</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext context, TimeSpan wait, string detail)
    {
        context.Response.Headers.RetryAfter = ApiHeaders.RetryAfterSeconds(wait);
        return Create(StatusCodes.Status429TooManyRequests, "Too many requests", detail);
    }
}

/// <summary>Collects field errors; the result is a 400 validation problem naming each field.</summary>
public sealed class Validator
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public Validator Check(bool condition, string field, string message)
    {
        if (!condition)
        {
            Add(field, message);
        }

        return this;
    }

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    public ValidationProblem Problem() => TypedResults.ValidationProblem(Errors, title: "The request is invalid");
}
