using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests.Deployment;

/// <summary>infra/main.bicep creates exactly the queues the queue triggers read (their function.json files).</summary>
public sealed partial class InfraQueuesTests
{
    [Fact]
    public void TheQueuesBicepCreates_AreTheQueuesTheTriggersRead()
    {
        var root = Azurite.RepositoryRoot();
        var triggers = Directory.GetFiles(Path.Combine(root, "src", "Feedback.Functions", "functions"), "function.json", SearchOption.AllDirectories)
            .SelectMany(f => JsonNode.Parse(File.ReadAllText(f))!["bindings"]!.AsArray())
            .Where(b => b!["type"]!.GetValue<string>() == "queueTrigger")
            .Select(b => b!["queueName"]!.GetValue<string>())
            .Order();

        var block = QueueNamesBlock().Match(File.ReadAllText(Path.Combine(root, "infra", "main.bicep")));
        Assert.True(block.Success, "infra/main.bicep has no 'var queueNames = [ … ]' block");
        var created = Regex.Matches(block.Groups[1].Value, "'([^']+)'").Select(m => m.Groups[1].Value).Order();

        Assert.Equal(triggers, created);
    }

    [GeneratedRegex(@"var queueNames = \[(.*?)\]", RegexOptions.Singleline)]
    private static partial Regex QueueNamesBlock();
}
