using Feedback.Storage;

namespace Feedback.UnitTests.Storage;

public sealed class StorageConnectionStringTests
{
    [Fact]
    public void Parse_UseDevelopmentStorage_GivesAzuriteEndpointsAndKey()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", parsed.AccountName);
        Assert.Equal("devstoreaccount1", parsed.Credential!.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), parsed.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), parsed.BlobEndpoint);
    }

    [Fact]
    public void Parse_DevelopmentStorageProxyUri_ChangesTheHost()
    {
        var parsed = StorageConnectionString.Parse("UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://azurite");

        Assert.Equal(new Uri("http://azurite:10002/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal(new Uri("http://azurite:10001/devstoreaccount1"), parsed.QueueEndpoint);
    }

    [Fact]
    public void Parse_AccountForm_BuildsEndpointsFromProtocolAndSuffix()
    {
        var parsed = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={StorageConnectionString.DevelopmentAccountKey};EndpointSuffix=core.chinacloudapi.cn");

        Assert.Equal("acct", parsed.AccountName);
        Assert.Equal(new Uri("https://acct.table.core.chinacloudapi.cn"), parsed.TableEndpoint);
        Assert.Equal(new Uri("https://acct.queue.core.chinacloudapi.cn"), parsed.QueueEndpoint);
    }

    [Fact]
    public void Parse_AccountFormWithoutSuffix_DefaultsToPublicAzure()
    {
        var parsed = StorageConnectionString.Parse($"AccountName=acct;AccountKey={StorageConnectionString.DevelopmentAccountKey}");

        Assert.Equal(new Uri("https://acct.table.core.windows.net"), parsed.TableEndpoint);
    }

    [Fact]
    public void Parse_ExplicitTableEndpoint_WinsOverTheSuffix()
    {
        var parsed = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={StorageConnectionString.DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:41234/devstoreaccount1/;");

        Assert.Equal(new Uri("http://127.0.0.1:41234/devstoreaccount1"), parsed.TableEndpoint);
        Assert.Equal(new Uri("http://devstoreaccount1.queue.core.windows.net"), parsed.QueueEndpoint);
    }

    [Fact]
    public void Parse_MissingAccountKey_ThrowsFormatExceptionNamingIt()
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse("DefaultEndpointsProtocol=https;AccountName=acct"));

        Assert.Contains("AccountKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedSegment_ThrowsWithoutEchoingTheKey()
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse("AccountName=acct;SECRETKEYMATERIAL1234567890"));

        Assert.DoesNotContain("1234567890", error.Message, StringComparison.Ordinal);
    }
}
