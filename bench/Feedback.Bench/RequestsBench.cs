using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.Bench;

/// <summary>
/// Storage requests per rewarded receipt answer, counted from Azurite's own debug log (<c>--debug</c>): a
/// separate Azurite, the app on it, N receipt answers submitted, then counted until the queues are idle.
/// Queue receives are counted apart, since most of them are idle polling; the customer's status reads are
/// made only after counting.
/// </summary>
internal static partial class RequestsBench
{
    public static async Task RunAsync(BenchContext context)
    {
        var answers = context.Setting("answers", 50);
        var score = context.Setting("score", 9);
        var settle = TimeSpan.FromSeconds(context.Setting("settle-seconds", 8));
        var log = context.Settings.TryGetValue("debug", out var path) ? path : Path.Combine(Path.GetTempPath(), $"feedback-bench-azurite-{Environment.ProcessId}.log");
        File.Delete(log);
        await using var azurite = await Azurite.StartAsync(log);
        await using var app = await AppProcess.StartAsync(azurite.ConnectionString, triggers: true);
        await app.CreateStoreAsync("bench-requests", AppProcess.ReceiptReward);
        var tokens = new string[answers];
        for (var i = 0; i < answers; i++)
        {
            tokens[i] = await app.MintTokenAsync("bench-requests", $"q{i:D6}");
        }

        // Let start-up settle, then count from here.
        await Task.Delay(settle);
        var from = Lines(log);
        var urls = new List<Uri>();
        foreach (var token in tokens)
        {
            urls.Add(await app.SubmitAsync(token, null, null, score, CancellationToken.None));
        }

        // Until nothing but idle polling has happened for a whole settle period.
        var idleSince = Stopwatch.StartNew();
        var seen = Count(log, from);
        while (idleSince.Elapsed < settle)
        {
            await Task.Delay(500);
            var now = Count(log, from);
            if (now.Other != seen.Other)
            {
                (seen, idleSince) = (now, Stopwatch.StartNew());
            }
        }

        var counted = Count(log, from);
        var rewarded = 0;
        foreach (var url in urls)
        {
            rewarded += (await app.Client.GetFromJsonAsync<JsonObject>(url))?["reward"] is JsonObject ? 1 : 0;
        }

        Console.WriteLine($"{answers} receipt answers of score {score}, {rewarded} rewarded; Azurite debug log {log}");
        foreach (var (what, n) in counted.ByKind.OrderByDescending(k => k.Value))
        {
            Console.WriteLine($"  {n,6}  {n / (double)answers,6:F2} per answer  {what}");
        }

        var perAnswer = counted.Other / (double)answers;
        Console.WriteLine($"storage requests per rewarded answer, idle polling not counted: {perAnswer:F2} (target <= 6: {(perAnswer <= 6 ? "met" : "NOT met")}); " +
            $"idle receives in the window: {counted.Receives}");
        if (rewarded != answers)
        {
            Console.WriteLine($"  NOT every answer was rewarded ({rewarded} of {answers}): the count is incomplete");
        }
    }

    private static int Lines(string log) => File.ReadLines(log).Count();

    /// <summary>
    /// Requests logged after line <paramref name="from"/>, one per request id, by method and resource. A receive
    /// that returned no message (Azurite logs the empty <c>QueueMessagesList</c> it answers) is idle polling.
    /// </summary>
    private static (int Other, int Receives, Dictionary<string, int> ByKind) Count(string log, int from)
    {
        var kinds = new Dictionary<string, string>();
        var empty = new HashSet<string>();
        using (var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        using (var reader = new StreamReader(stream))
        {
            var line = 0;
            while (reader.ReadLine() is { } text)
            {
                if (line++ < from)
                {
                    continue;
                }

                if (Request().Match(text) is { Success: true } match)
                {
                    kinds.TryAdd(match.Groups["id"].Value, Kind(match.Groups["method"].Value, match.Groups["url"].Value));
                }
                else if (text.Contains("<QueueMessagesList/>", StringComparison.Ordinal) && text.Split(' ') is [_, var id, ..])
                {
                    empty.Add(id);
                }
            }
        }

        foreach (var id in empty.Where(kinds.ContainsKey))
        {
            kinds[id] = "idle receive (no message) " + kinds[id];
        }

        var byKind = kinds.Values.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        var idle = byKind.Where(k => k.Key.StartsWith("idle", StringComparison.Ordinal)).Sum(k => k.Value);
        return (kinds.Count - idle, idle, byKind);
    }

    /// <summary>"POST table $batch", "GET queue messages feedback-submitted", …: what a request did, without keys.</summary>
    private static string Kind(string method, string url)
    {
        var uri = new Uri(url);
        var segments = uri.AbsolutePath.Trim('/').Split('/').Skip(1).ToArray();
        var resource = segments.Length == 0 ? "" : Regex.Replace(segments[0], @"\(.*\)$", "(entity)");
        if (segments.Length > 1 && segments[1] == "messages")
        {
            return $"{method} queue messages{(segments.Length > 2 ? "/{id}" : "")} {resource}";
        }

        return $"{method} {resource}";
    }

    [GeneratedRegex(@"^\S+ (?<id>[0-9a-f-]{36}) info: \w+StorageContextMiddleware: RequestMethod=(?<method>[A-Z]+) RequestURL=(?<url>\S+)")]
    private static partial Regex Request();
}
