using Feedback.Functions.Http;
using Feedback.Functions.Stores;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Feedback.Functions.AccessKeys;

/// <summary>Scoped access keys (admin only to manage), and what the presented key may do.</summary>
public static class AccessKeyEndpoints
{
    private const int MaxBodyBytes = 4 * 1024;
    private const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapAccessKeyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/access-keys/current", Current).WithName("GetCurrentAccess").RequireAccessKey();
        app.MapPost("/api/access-keys", CreateAsync).WithName("CreateAccessKey").RequireAdminKey();
        app.MapGet("/api/access-keys", ListAsync).WithName("ListAccessKeys").RequireAdminKey();
        app.MapDelete("/api/access-keys/{id}", RevokeAsync).WithName("RevokeAccessKey").RequireAdminKey();
        return app;
    }

    public static async Task<Results<Created<AccessKeyCreated>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, AccessKeyStore keys, StoreDirectory directory, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<AccessKeyRequest>(request, MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var v = new Validator()
            .Check(!string.IsNullOrWhiteSpace(body!.Name) && body.Name.Length <= MaxNameLength, "name", $"Required: 1 to {MaxNameLength} characters.")
            .Check(AccessScope.TryParse(body.Scope, out var scope), "scope", "Required: store:{storeId}, region:{region} or chain.")
            .Check(AccessRoles.IsValid(body.Role), "role", "Required: manager or viewer.");
        if (v.IsValid && scope.Kind == AccessScope.StoreKind && await directory.GetStoreAsync(scope.Id!, cancellationToken) is null)
        {
            v.Add("scope", $"There is no store '{scope.Id}'.");
        }

        if (!v.IsValid)
        {
            return v.Problem();
        }

        var (key, secret) = await keys.CreateAsync(body.Name!.Trim(), scope, body.Role!, cancellationToken);
        return TypedResults.Created($"/api/access-keys/{key.Id}", new AccessKeyCreated(key.Id, secret, key.Name, key.Scope.ToString(), key.Role, key.CreatedAt));
    }

    public static async Task<Ok<AccessKeyList>> ListAsync(AccessKeyStore keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(new AccessKeyList([.. (await keys.ListAsync(cancellationToken)).Select(AccessKeyView.From)]));

    /// <summary>Revokes at once: the next request with the key is a 401 (keys are never cached).</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, AccessKeyStore keys, CancellationToken cancellationToken) =>
        await keys.RevokeAsync(id, cancellationToken) is not null ? TypedResults.NoContent() : Problems.NotFound($"There is no access key '{id}'.");

    public static Ok<CurrentAccess> Current(HttpContext context)
    {
        var access = Access.Of(context);
        return TypedResults.Ok(new CurrentAccess(access.KeyId, access.Name, access.Scope.ToString(), access.Role, access.IsAdmin, access.CanChangeCases));
    }
}
