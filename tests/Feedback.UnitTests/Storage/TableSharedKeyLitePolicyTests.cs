using System.Net;
using Feedback.Storage;
using Feedback.Storage.Pipeline;
using Feedback.Storage.Tables;

namespace Feedback.UnitTests.Storage;

public sealed class TableSharedKeyLitePolicyTests
{
    private const string Date = "Sun, 22 Nov 2026 11:48:36 GMT";

    [Theory]
    [InlineData("https://acct.table.core.windows.net/mytable(PartitionKey='p',RowKey='r')", "acct",
        "/acct/mytable(PartitionKey='p',RowKey='r')")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/Tables", "devstoreaccount1",
        "/devstoreaccount1/devstoreaccount1/Tables")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/fb88658723(PartitionKey='p1',RowKey='r1')", "devstoreaccount1",
        "/devstoreaccount1/devstoreaccount1/fb88658723(PartitionKey='p1',RowKey='r1')")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/fc3e4e5c2c()?$filter=PartitionKey%20eq%20'p'&$top=5&NextPartitionKey=cDE%3D", "devstoreaccount1",
        "/devstoreaccount1/devstoreaccount1/fc3e4e5c2c()")]
    [InlineData("https://acct.table.core.windows.net/?restype=service&comp=properties", "acct",
        "/acct/?comp=properties")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/t(PartitionKey='a%20b%27%27c%25',RowKey='%C3%A9')", "devstoreaccount1",
        "/devstoreaccount1/devstoreaccount1/t(PartitionKey='a%20b%27%27c%25',RowKey='%C3%A9')")]
    public void StringToSign_IsDateThenAccountAndPathAsSent(string uri, string account, string resource)
    {
        Assert.Equal(Date + "\n" + resource, TableSharedKeyLitePolicy.StringToSign(Date, account, new Uri(uri)));
    }

    [Fact]
    public void Sign_MatchesHmacSha256OfTheDevelopmentKey()
    {
        var credential = new StorageSharedKeyCredential("devstoreaccount1", StorageConnectionString.DevelopmentAccountKey);

        // Computed independently: base64(HMAC-SHA256(base64decode(key), utf8(stringToSign))).
        Assert.Equal(
            "8dcdS5CjTpXriGwxaPV6fShtFbnuo2FReVJsCjJvIq4=",
            credential.Sign(Date + "\n/devstoreaccount1/devstoreaccount1/Tables"));
    }

    [Fact]
    public async Task Policy_SignsTheEscapedEntityPathTheClientSends()
    {
        var stub = new StubHandler(_ => StubHandler.Reply(HttpStatusCode.NoContent));
        var credential = new StorageSharedKeyCredential("devstoreaccount1", StorageConnectionString.DevelopmentAccountKey);
        var table = new TableClient(new Uri("http://127.0.0.1:10002/devstoreaccount1"), "feedback", credential, stub.Options());

        await table.DeleteEntityAsync("a b'c", "é");

        var (request, _) = Assert.Single(stub.Requests);
        Assert.Equal("/devstoreaccount1/feedback(PartitionKey='a%20b%27%27c',RowKey='%C3%A9')", request.RequestUri!.AbsolutePath);
        var date = request.Headers.GetValues("x-ms-date").Single();
        var expected = credential.Sign(date + "\n/devstoreaccount1" + request.RequestUri.AbsolutePath);
        Assert.Equal("SharedKeyLite devstoreaccount1:" + expected, request.Headers.Authorization!.ToString());
    }
}
