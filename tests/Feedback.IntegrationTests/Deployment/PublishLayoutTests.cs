using System.Diagnostics;
using System.Text.Json.Nodes;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Deployment;

/// <summary>The published folder is a function app as is: host.json, every function folder, and the handler it names.</summary>
public sealed class PublishLayoutTests
{
    [Fact]
    public async Task PublishOutput_HoldsHostJson_EveryFunction_AndTheExecutableHostJsonNames()
    {
        var root = Azurite.RepositoryRoot();
        var output = Path.Combine(Path.GetTempPath(), "feedback-publish-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var publish = Process.Start(new ProcessStartInfo("dotnet")
            {
                ArgumentList = { "publish", Path.Combine(root, "src", "Feedback.Functions"), "-c", "Release", "-o", output, "-nologo", "-v", "q" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var log = await publish.StandardOutput.ReadToEndAsync() + await publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            Assert.True(publish.ExitCode == 0, log);

            var host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "host.json")))!;
            var executable = Path.Combine(output, host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
            Assert.True(File.Exists(executable), executable);
            if (!OperatingSystem.IsWindows())
            {
                Assert.True((File.GetUnixFileMode(executable) & UnixFileMode.UserExecute) != 0, "the handler has no run bit");
            }

            var source = Directory.EnumerateDirectories(Path.Combine(root, "src", "Feedback.Functions", "functions"))
                .Where(d => File.Exists(Path.Combine(d, "function.json"))).Select(Path.GetFileName).Order().ToArray();
            var published = Directory.EnumerateDirectories(output)
                .Where(d => File.Exists(Path.Combine(d, "function.json"))).Select(Path.GetFileName).Order().ToArray();
            Assert.NotEmpty(source);
            Assert.Equal(source, published);
            Assert.False(File.Exists(Path.Combine(output, "local.settings.json")));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
