using Feedback.IntegrationTests.Infrastructure;

namespace Feedback.IntegrationTests;

[Collection(AzuriteCollection.Name)]
public sealed class AzuriteFixtureTests(AzuriteFixture azurite)
{
    [Fact]
    public void ConnectionString_PointsAtLoopbackPorts()
    {
        Assert.Contains("TableEndpoint=http://127.0.0.1:", azurite.ConnectionString, StringComparison.Ordinal);
        Assert.DoesNotContain(":10002/", azurite.ConnectionString, StringComparison.Ordinal);
    }
}
