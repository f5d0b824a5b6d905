using System.Globalization;

namespace Feedback.Bench;

/// <summary>Medians, percentiles, the machine's load and per-process CPU time: what every figure is reported with.</summary>
internal static class Measure
{
    public static double Median(IEnumerable<double> samples) => Percentile([.. samples.Order()], 50);

    /// <summary>Nearest-rank percentile of already sorted samples.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double percent) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    /// <summary>The 1-, 5- and 15-minute load averages, as /proc/loadavg prints them.</summary>
    public static string LoadAverage() =>
        string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    public static double Milliseconds(long fromTimestamp, long toTimestamp) =>
        (toTimestamp - fromTimestamp) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    /// <summary>User + system CPU seconds a process has used so far (Linux clock ticks of 1/100 s).</summary>
    public static double CpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>Resident set size in MB, from VmRSS in /proc/&lt;pid&gt;/status.</summary>
    public static double ResidentMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>The Azurite that Program started: this process's child running azurite.js.</summary>
    public static int AzuritePid() =>
        ChildProcessIds().FirstOrDefault(pid => TryRead($"/proc/{pid}/cmdline")?.Contains("azurite", StringComparison.Ordinal) == true) is var pid and > 0
            ? pid
            : throw new InvalidOperationException("Azurite's process was not found among this process's children.");

    /// <summary>This process's direct children: Azurite, and the app while a mode runs it.</summary>
    public static IEnumerable<int> ChildProcessIds()
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid)
                && TryRead(Path.Combine(dir, "stat")) is { } stat
                && stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == self)
            {
                yield return pid;
            }
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

/// <summary>CPU seconds used by the bench, the app (when running) and Azurite between two points.</summary>
internal sealed class CpuMeter
{
    private readonly int _azurite;
    private readonly int? _app;
    private readonly (double Bench, double App, double Azurite) _start;

    public CpuMeter(int azuritePid, int? appPid = null)
    {
        _azurite = azuritePid;
        _app = appPid;
        _start = Now();
    }

    /// <summary>"CPU ms per item: bench x, app y, Azurite z".</summary>
    public string PerItem(int items)
    {
        var end = Now();
        var app = _app is null ? "" : $", app {(end.App - _start.App) * 1000 / items:F2}";
        return $"CPU ms per item: bench {(end.Bench - _start.Bench) * 1000 / items:F2}{app}, Azurite {(end.Azurite - _start.Azurite) * 1000 / items:F2}";
    }

    private (double Bench, double App, double Azurite) Now() =>
        (Measure.CpuSeconds(Environment.ProcessId), _app is { } app ? Measure.CpuSeconds(app) : 0, Measure.CpuSeconds(_azurite));
}
