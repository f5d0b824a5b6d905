using Feedback.Functions.AccessKeys;
using Feedback.Functions.Http;
using Feedback.Functions.Api;
using System.Net;
using System.Text.Json.Nodes;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace Feedback.IntegrationTests.Observability;

/// <summary>The OpenAPI document is complete: every public route, its bodies, its errors as problem+json, its credentials.</summary>
public sealed class OpenApiDocumentTests(OpenApiDocumentTests.Fixture app) : IClassFixture<OpenApiDocumentTests.Fixture>
{
    public sealed class Fixture : AppFixture
    {
        private JsonObject? _document;

        public async Task<JsonObject> DocumentAsync() =>
            _document ??= JsonNode.Parse(await App.CreateClient().GetStringAsync("/openapi/v1.json"))!.AsObject();
    }

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    /// <summary>Every mapped route under /api: the public HTTP API (pages and host invocations are not part of it).</summary>
    private IReadOnlyList<(string Path, string Method, string Name, RouteEndpoint Endpoint)> PublicRoutes =>
        [.. app.App.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m =>
                ("/" + e.RoutePattern.RawText!.TrimStart('/'), m.ToLowerInvariant(), e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "", e)))];

    private async Task<IEnumerable<(string Path, string Method, JsonObject Operation)>> OperationsAsync()
    {
        var paths = (await app.DocumentAsync())["paths"]!.AsObject();
        return paths.SelectMany(p => p.Value!.AsObject().Where(o => Methods.Contains(o.Key)).Select(o => (p.Key, o.Key, o.Value!.AsObject())));
    }

    [Fact]
    public async Task EveryMappedPublicRoute_IsInTheDocument_WithItsMethodAndName()
    {
        var document = await app.DocumentAsync();
        var paths = document["paths"]!.AsObject();

        Assert.Equal("3.1", document["openapi"]!.GetValue<string>()[..3]);
        Assert.True(PublicRoutes.Count >= 25, $"only {PublicRoutes.Count} public routes found");
        Assert.All(PublicRoutes, route =>
        {
            Assert.True(paths[route.Path]?[route.Method] is JsonObject, $"{route.Method.ToUpperInvariant()} {route.Path} ({route.Name}) is missing from the document");
            Assert.Equal(route.Name, paths[route.Path]![route.Method]!["operationId"]!.GetValue<string>());
        });
        Assert.Equal(PublicRoutes.Count, (await OperationsAsync()).Count(o => o.Path.StartsWith("/api/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EveryOperation_DescribesASuccess_AndItsErrorsAsProblemDetails()
    {
        foreach (var (path, method, operation) in await OperationsAsync())
        {
            var responses = operation["responses"]!.AsObject();
            Assert.True(responses.Any(r => r.Key.StartsWith('2')), $"{method} {path}: no success response");
            Assert.All(responses.Where(r => r.Key.StartsWith('2') && r.Key != "204"), r =>
                Assert.True(r.Value!["content"]?.AsObject().Count > 0, $"{method} {path} {r.Key}: no content"));
            var errors = responses.Where(r => r.Key[0] is '4' or '5').ToList();
            Assert.Contains(errors, r => r.Key == "503");
            Assert.All(errors, r =>
            {
                var content = r.Value!["content"]!.AsObject();
                Assert.True(content.ContainsKey(ApiDocument.ProblemJson), $"{method} {path} {r.Key} is not problem+json");
                Assert.Single(content);
            });
            if (path.Contains('{', StringComparison.Ordinal))
            {
                Assert.True(responses.ContainsKey("404"), $"{method} {path}: no 404");
            }
        }
    }

    [Fact]
    public async Task RoutesThatReadABody_DescribeItsSchema_AndItsMediaTypeErrors()
    {
        var operations = (await OperationsAsync()).ToDictionary(o => o.Operation["operationId"]!.GetValue<string>(), o => o.Operation);
        string[] withBody = ["SubmitFeedback", "SubmitFeedbackBatch", "PutStore", "PutSegments", "EnrollDevice", "MintToken", "UpdateCase", "PutFollowUpPolicy", "PutWebhook", "ErasePersonalData", "ExportPersonalData", "DeviceHeartbeat", "CreateAccessKey"];

        Assert.All(withBody, name =>
        {
            var body = operations[name]["requestBody"]!;
            Assert.StartsWith("#/components/schemas/", body["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.All(new[] { "400", "413", "415" }, status => Assert.True(operations[name]["responses"]![status] is not null, $"{name}: no {status}"));
        });
        Assert.Equal(withBody.Order(), operations.Where(o => o.Value["requestBody"] is not null).Select(o => o.Key).Order());

        var schemas = (await app.DocumentAsync())["components"]!["schemas"]!;
        // The app reads numbers strictly: the schema must not invite "9" for 9.
        Assert.Equal(new JsonArray("null", "integer").ToJsonString(), schemas["FeedbackRequest"]!["properties"]!["score"]!["type"]!.ToJsonString());
        Assert.Equal("#/components/schemas/FeedbackAccepted",
            operations["SubmitFeedback"]["responses"]!["202"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
    }

    [Fact]
    public async Task AdminRoutes_NeedTheAdminKey_AndDeviceRoutesTheDeviceKey_AsDeclaredSchemes()
    {
        var document = await app.DocumentAsync();
        var schemes = document["components"]!["securitySchemes"]!;
        Assert.Equal("X-Admin-Key", schemes[ApiDocument.AdminKeyScheme]!["name"]!.GetValue<string>());
        Assert.Equal("X-Device-Key", schemes[ApiDocument.DeviceKeyScheme]!["name"]!.GetValue<string>());
        var operations = (await OperationsAsync()).ToDictionary(o => o.Operation["operationId"]!.GetValue<string>(), o => o.Operation);

        foreach (var route in PublicRoutes)
        {
            var security = operations[route.Name]["security"]?.AsArray().SelectMany(r => r!.AsObject().Select(s => s.Key)).ToHashSet() ?? [];
            var admin = route.Endpoint.Metadata.GetMetadata<AdminKeyRequired>() is not null;
            Assert.Equal(admin, security.Contains(ApiDocument.AdminKeyScheme) && !security.Contains(ApiDocument.DeviceKeyScheme));
            if (admin)
            {
                Assert.True(operations[route.Name]["responses"]!["401"] is not null, $"{route.Name}: no 401");
            }
        }

        // The read routes and case updates also take a scoped access key as a bearer token, and may answer 403 outside its scope.
        Assert.Equal("bearer", schemes[ApiDocument.AccessKeyScheme]!["scheme"]!.GetValue<string>());
        string[] accessKeyRoutes = ["GetScores", "GetScoreBreakdown", "GetStoreScores", "ListCases", "GetCaseSummary", "GetCase", "UpdateCase", "ListComments", "GetCurrentAccess", "GetSegmentScores", "GetDriverScores", "GetJourneys", "GetSegments"];
        Assert.Equal(accessKeyRoutes.Order(), PublicRoutes.Where(r => r.Endpoint.Metadata.GetMetadata<AccessKeyAccepted>() is not null).Select(r => r.Name).Order());
        Assert.All(accessKeyRoutes, name =>
        {
            Assert.Contains(operations[name]["security"]!.AsArray(), r => r!.AsObject().ContainsKey(ApiDocument.AccessKeyScheme));
            Assert.True(operations[name]["responses"]!["403"] is not null, $"{name}: no 403");
        });

        string[] deviceRoutes = ["SubmitFeedback", "SubmitFeedbackBatch", "GetReward", "RedeemReward", "DeviceHeartbeat", "GetDeviceSigningKey"];
        Assert.All(deviceRoutes, name => Assert.Contains(operations[name]["security"]!.AsArray(), r => r!.AsObject().ContainsKey(ApiDocument.DeviceKeyScheme)));
        // A QR-token answer needs no header: the empty requirement says so.
        Assert.Contains(operations["SubmitFeedback"]["security"]!.AsArray(), r => r!.AsObject().Count == 0);
        Assert.Null(operations["HealthCheck"]["security"]);
    }

    [Fact]
    public async Task AdminRoutes_AnswerWithoutTheKey_As401_WhichTheDocumentPromises()
    {
        // The metadata the document reads is the filter's own: an admin route without the key is refused.
        using var response = await app.App.CreateClient().GetAsync("/api/health/ready");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotNull(Assert.Single(PublicRoutes, r => r.Name == "ReadinessCheck").Endpoint.Metadata.GetMetadata<AdminKeyRequired>());
    }

    [Fact]
    public async Task CommittedDocument_IsTheOneTheAppServes()
    {
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Azurite.RepositoryRoot(), "docs", "openapi.json")))!.AsObject();
        var served = JsonNode.Parse((await app.DocumentAsync()).ToJsonString())!.AsObject();
        served.Remove("servers");
        committed.Remove("servers");

        Assert.True(JsonNode.DeepEquals(committed, served), "docs/openapi.json is stale: build the app (dotnet build) and commit the file");
    }

    [Fact]
    public async Task ReferencePage_IsServed_AndPointsAtTheDocument()
    {
        using var response = await app.App.CreateClient().GetAsync("/scalar/v1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("openapi/v1.json", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
