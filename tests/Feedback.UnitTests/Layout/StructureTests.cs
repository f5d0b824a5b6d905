using System.Text.RegularExpressions;

namespace Feedback.UnitTests.Layout;

/// <summary>The shape docs/architecture.md promises, checked on the source: one home for each concept, no cycles between folders.</summary>
public sealed partial class StructureTests
{
    private static readonly string App = Path.Combine(RepositoryRoot(), "src", "Feedback.Functions");

    private static IEnumerable<string> SourceFiles =>
        Directory.EnumerateFiles(App, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static string FolderOf(string file) => Path.GetRelativePath(App, file).Split(Path.DirectorySeparatorChar)[0];

    [Fact]
    public void Folders_ImportEachOtherWithoutCycles()
    {
        var edges = SourceFiles
            .SelectMany(f => UsingPattern().Matches(File.ReadAllText(f)).Select(m => (From: FolderOf(f), To: m.Groups[1].Value)))
            .Where(e => e.From != e.To && e.From != "Program.cs")
            .Distinct()
            .ToLookup(e => e.From, e => e.To);

        foreach (var start in edges.Select(g => g.Key))
        {
            var seen = new HashSet<string>();
            var stack = new Stack<string>(edges[start]);
            while (stack.TryPop(out var folder))
            {
                Assert.False(folder == start, $"{start} imports itself through {string.Join(", ", seen)}");
                if (seen.Add(folder))
                {
                    foreach (var next in edges[folder])
                    {
                        stack.Push(next);
                    }
                }
            }
        }

        Assert.DoesNotContain(edges["Answers"], to => to is not "Storage");
    }

    [Fact]
    public void NoFeature_CallsAnotherFeaturesEndpoints()
    {
        var endpointClasses = SourceFiles.Where(f => f.EndsWith("Endpoints.cs", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f), FolderOf);
        Assert.NotEmpty(endpointClasses);
        foreach (var file in SourceFiles.Where(f => FolderOf(f) != "Program.cs"))
        {
            var text = File.ReadAllText(file);
            foreach (var (name, folder) in endpointClasses.Where(e => e.Value != FolderOf(file)))
            {
                Assert.False(Regex.IsMatch(text, $@"\b{name}\."), $"{Path.GetRelativePath(App, file)} uses {folder}/{name}");
            }
        }
    }

    [Fact]
    public void TheDetractorRule_IsWrittenOnce()
    {
        var rules = SourceFiles.SelectMany(f => DetractorPattern().Matches(File.ReadAllText(f)).Select(_ => Path.GetRelativePath(App, f))).ToList();
        Assert.Equal([Path.Combine("Answers", "NpsScore.cs")], rules);
    }

    [Fact]
    public void NoSourceFile_IsLongerThan300Lines() =>
        Assert.All(SourceFiles, f => Assert.True(File.ReadLines(f).Count() <= 300, $"{Path.GetRelativePath(App, f)} has {File.ReadLines(f).Count()} lines"));

    [Fact]
    public void TheAppRoot_HoldsFeatureFolders_NotOneFolderPerFunction()
    {
        Assert.DoesNotContain(Directory.EnumerateDirectories(App), d => File.Exists(Path.Combine(d, "function.json")));
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(App, "functions"), "function.json", SearchOption.AllDirectories));
    }

    [Fact]
    public void ProgramCs_RegistersAndMapsEveryFeature()
    {
        var program = File.ReadAllText(Path.Combine(App, "Program.cs"));
        foreach (var services in SourceFiles.Where(f => f.EndsWith("Services.cs", StringComparison.Ordinal)))
        {
            foreach (Match add in AddPattern().Matches(File.ReadAllText(services)))
            {
                Assert.Contains($".{add.Groups[1].Value}(", program, StringComparison.Ordinal);
            }
        }

        // Each feature with endpoints maps them from Program.cs (a feature may map its parts from one MapXxx).
        foreach (var feature in SourceFiles.Where(f => f.EndsWith("Endpoints.cs", StringComparison.Ordinal)).GroupBy(FolderOf))
        {
            var maps = feature.SelectMany(f => MapPattern().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)).ToList();
            Assert.True(maps.Any(m => program.Contains($".{m}(", StringComparison.Ordinal)), $"Program.cs maps nothing of {feature.Key}/");
        }
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Feedback.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Feedback.sln not found above the test output.");
    }

    [GeneratedRegex(@"^using Feedback\.Functions\.(\w+)", RegexOptions.Multiline)]
    private static partial Regex UsingPattern();

    // "score <= 6", "Score is <= 6", "<= 6 =>": any spelling of 0–6 being a detractor.
    [GeneratedRegex(@"<=\s*6\b")]
    private static partial Regex DetractorPattern();

    [GeneratedRegex(@"public static IServiceCollection (Add\w+)\(this IServiceCollection")]
    private static partial Regex AddPattern();

    [GeneratedRegex(@"public static \w+ (Map\w+)\(this (?:IEndpointRouteBuilder|WebApplication)")]
    private static partial Regex MapPattern();
}
