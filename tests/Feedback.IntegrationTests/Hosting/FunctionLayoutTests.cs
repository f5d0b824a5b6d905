using System.Reflection;
using System.Text.Json.Nodes;
using Feedback.Functions.Hosting;
using Feedback.Functions.Storage;
using Feedback.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.WebJobs;

namespace Feedback.IntegrationTests.Hosting;

/// <summary>function.json is the single source of truth for triggers: it and the code must agree both ways.</summary>
public sealed class FunctionLayoutTests(FunctionLayoutTests.Fixture app) : IClassFixture<FunctionLayoutTests.Fixture>
{
    public sealed class Fixture : AppFixture;

    private static IReadOnlyList<FunctionDefinition> Functions => FunctionDefinitions.Load(AppContext.BaseDirectory);

    private IReadOnlyList<RouteEndpoint> Endpoints =>
        [.. app.App.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()];

    [Fact]
    public void EveryQueueAndTimerFunction_HasAHandler_AndEveryHandlerAFunction()
    {
        var registry = app.App.Services.GetRequiredService<FunctionRegistry>();
        var triggered = Functions.Where(f => !f.IsHttp).Select(f => f.Name).Order().ToArray();

        Assert.NotEmpty(triggered);
        Assert.Equal(triggered, registry.Handlers.Keys.Order().ToArray());
    }

    [Fact]
    public void EveryHttpFunction_MapsToOneEndpointWithItsRouteAndMethods()
    {
        foreach (var function in Functions.Where(f => f.IsHttp))
        {
            var endpoint = Assert.Single(Endpoints, e => e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName == function.Name);
            Assert.Equal("/" + function.Trigger.Route, endpoint.RoutePattern.RawText!.StartsWith('/') ? endpoint.RoutePattern.RawText : "/" + endpoint.RoutePattern.RawText);
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Select(m => m.ToUpperInvariant()).Order();
            Assert.Equal(function.Trigger.Methods!.Select(m => m.ToUpperInvariant()).Order(), methods);
        }
    }

    [Fact]
    public void EveryApiEndpoint_BelongsToAnHttpFunction()
    {
        var httpFunctions = Functions.Where(f => f.IsHttp).Select(f => f.Name).ToHashSet();
        var apiEndpoints = Endpoints.Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/", StringComparison.Ordinal));

        Assert.All(apiEndpoints, e => Assert.Contains(e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? e.DisplayName ?? "", httpFunctions));
    }

    [Fact]
    public void HttpFunctions_HaveExactlyOneHttpTriggerAndOneHttpOutput_SoTheHostForwardsThem()
    {
        Assert.All(Functions.Where(f => f.IsHttp), f =>
        {
            Assert.Equal(2, f.Bindings.Count);
            Assert.Single(f.Bindings, b => b is { Type: "httpTrigger", Direction: "in" });
            Assert.Single(f.Bindings, b => b is { Type: "http", Direction: "out" });
        });
    }

    [Fact]
    public void QueueTriggers_NameKnownQueues_AndTheStandaloneTriggerListensOnTheSameQueue()
    {
        var standalone = typeof(QueueTriggers).GetMethods()
            .Where(m => m.GetCustomAttribute<FunctionNameAttribute>() is not null)
            .ToDictionary(
                m => m.GetCustomAttribute<FunctionNameAttribute>()!.Name,
                m => m.GetParameters().Select(p => p.GetCustomAttribute<QueueTriggerAttribute>()).Single(a => a is not null)!.QueueName);
        Assert.Equal(Functions.Where(f => f.IsQueue).Select(f => f.Name).Order(), standalone.Keys.Order());
        Assert.All(Functions.Where(f => f.IsQueue), f =>
        {
            Assert.Equal(f.Trigger.QueueName, standalone[f.Name]);
            Assert.Contains(f.Trigger.QueueName, QueueNames.All);
            Assert.Equal("AzureWebJobsStorage", f.Trigger.Connection ?? "AzureWebJobsStorage");
        });
    }

    [Fact]
    public void HostJson_ExecutableExistsInTheBuiltApp_AndStartsOnTheHostsPort()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")))!;
        var description = host["customHandler"]!["description"]!;
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var appOutput = Path.Combine(Azurite.RepositoryRoot(), "src", "Feedback.Functions", "bin", configuration, "net10.0");

        Assert.True(File.Exists(Path.Combine(appOutput, description["defaultExecutablePath"]!.GetValue<string>())), appOutput);
        Assert.True(File.Exists(Path.Combine(appOutput, "host.json")));
        Assert.All(Functions, f => Assert.True(File.Exists(Path.Combine(appOutput, f.Name, "function.json")), f.Name));
        Assert.Equal(["--urls", "http://127.0.0.1:%FUNCTIONS_CUSTOMHANDLER_PORT%"], description["arguments"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.True(host["customHandler"]!["enableForwardingHttpRequest"]!.GetValue<bool>());
        Assert.Equal("base64", host["extensions"]!["queues"]!["messageEncoding"]!.GetValue<string>());
        Assert.Equal(5, host["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>());
    }
}
