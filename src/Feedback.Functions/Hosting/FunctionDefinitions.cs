using System.Text.Json;
using System.Text.Json.Serialization;

namespace Feedback.Functions.Hosting;

/// <summary>One binding of a function.json, with the properties this app uses.</summary>
internal sealed record BindingDefinition
{
    public string Type { get; init; } = "";
    public string Direction { get; init; } = "";
    public string Name { get; init; } = "";
    public string? QueueName { get; init; }
    public string? Connection { get; init; }
    public string? Schedule { get; init; }
    public bool RunOnStartup { get; init; }
    public string? Route { get; init; }
    public string[]? Methods { get; init; }
    public string? AuthLevel { get; init; }
}

/// <summary>A function: the folder name of its function.json and the bindings in it.</summary>
internal sealed record FunctionDefinition(string Name, IReadOnlyList<BindingDefinition> Bindings)
{
    public BindingDefinition Trigger => Bindings.Single(b => b.Direction == "in" && b.Type.EndsWith("Trigger", StringComparison.Ordinal));

    public bool IsHttp => Trigger.Type == "httpTrigger";

    public bool IsQueue => Trigger.Type == "queueTrigger";

    public bool IsTimer => Trigger.Type == "timerTrigger";
}

/// <summary>
/// The function.json files are the single source of truth for triggers, under the Functions host
/// and in standalone mode alike.
/// </summary>
internal static class FunctionDefinitions
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };

    private sealed record FunctionJson(BindingDefinition[]? Bindings, bool Disabled);

    public static IReadOnlyList<FunctionDefinition> Load(string appRoot) =>
        [.. Directory.EnumerateDirectories(appRoot)
            .Select(dir => (dir, file: Path.Combine(dir, "function.json")))
            .Where(x => File.Exists(x.file))
            .Select(x => (name: Path.GetFileName(x.dir), json: JsonSerializer.Deserialize<FunctionJson>(File.ReadAllText(x.file), Json)))
            .Where(x => x.json is { Disabled: false })
            .Select(x => new FunctionDefinition(x.name, x.json!.Bindings ?? []))
            .OrderBy(f => f.Name, StringComparer.Ordinal)];
}
