using System.Net;
using Azure;
using Feedback.Storage;
using Feedback.Storage.Tables;

namespace Feedback.UnitTests.Storage;

/// <summary>The client's HTTP behaviour against a scripted endpoint: retries, headers, continuation.</summary>
public sealed class TableClientPipelineTests
{
    private static readonly Uri Service = new("http://127.0.0.1:10002/devstoreaccount1");
    private static readonly StorageSharedKeyCredential Key = new("devstoreaccount1", StorageConnectionString.DevelopmentAccountKey);

    private static string Error(string code) => """{"odata.error":{"code":"CODE","message":{"lang":"en-US","value":"nope"}}}""".Replace("CODE", code, StringComparison.Ordinal);

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData((HttpStatusCode)429)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    public async Task TransientFailure_IsRetried(HttpStatusCode transient)
    {
        var calls = 0;
        var stub = new StubHandler(_ => ++calls < 3
            ? StubHandler.Reply(transient, Error("ServerBusy"))
            : StubHandler.Reply(HttpStatusCode.NoContent, "", ("ETag", "W/\"v2\"")));
        var table = new TableClient(Service, "feedback", Key, stub.Options());

        var etag = await table.UpsertEntityAsync(new TableEntity("p", "r"));

        Assert.Equal(3, stub.Requests.Count);
        Assert.Equal(new ETag("W/\"v2\""), etag);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "ResourceNotFound")]
    [InlineData(HttpStatusCode.Conflict, "EntityAlreadyExists")]
    [InlineData(HttpStatusCode.PreconditionFailed, "UpdateConditionNotSatisfied")]
    public async Task ClientError_IsNotRetried_AndCarriesStatusAndCode(HttpStatusCode status, string code)
    {
        var stub = new StubHandler(_ => StubHandler.Reply(status, Error(code)));
        var table = new TableClient(Service, "feedback", Key, stub.Options());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.UpdateEntityAsync(new TableEntity("p", "r"), new ETag("W/\"v1\"")));

        Assert.Single(stub.Requests);
        Assert.Equal((int)status, error.Status);
        Assert.Equal(code, error.ErrorCode);
    }

    [Fact]
    public async Task UpdateEntity_WithDefaultETag_IsRejectedBeforeSending()
    {
        var stub = new StubHandler(_ => StubHandler.Reply(HttpStatusCode.NoContent));
        var table = new TableClient(Service, "feedback", Key, stub.Options());

        await Assert.ThrowsAsync<ArgumentException>(() => table.UpdateEntityAsync(new TableEntity("p", "r"), default));

        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task Writes_SendTheTableHeadersAndMethods()
    {
        var stub = new StubHandler(_ => StubHandler.Reply(HttpStatusCode.NoContent, "", ("ETag", "W/\"v\"")));
        var table = new TableClient(Service, "feedback", Key, stub.Options());

        await table.AddEntityAsync(new TableEntity("p", "r"));
        await table.UpdateEntityAsync(new TableEntity("p", "r"), new ETag("W/\"v\""), TableUpdateMode.Merge);
        await table.UpsertEntityAsync(new TableEntity("p", "r"), TableUpdateMode.Replace);

        var requests = stub.Requests.Select(r => r.Request).ToList();
        Assert.Equal(["POST", "MERGE", "PUT"], requests.Select(r => r.Method.Method));
        Assert.All(requests, r =>
        {
            Assert.Equal("application/json;odata=minimalmetadata", r.Headers.Accept.ToString());
            Assert.Equal("3.0", r.Headers.GetValues("DataServiceVersion").Single());
            Assert.Equal("application/json", r.Content!.Headers.ContentType!.ToString());
            Assert.Equal("2025-11-05", r.Headers.GetValues("x-ms-version").Single());
        });
        Assert.Equal("return-no-content", requests[0].Headers.GetValues("Prefer").Single());
        Assert.Equal("W/\"v\"", requests[1].Headers.GetValues("If-Match").Single());
        Assert.False(requests[2].Headers.Contains("If-Match"));
    }

    [Fact]
    public async Task Query_PassesContinuationTokensBackUnchanged()
    {
        var calls = 0;
        var stub = new StubHandler(_ => ++calls == 1
            ? StubHandler.Reply(HttpStatusCode.OK, """{"value":[{"PartitionKey":"p","RowKey":"a"}]}""",
                ("x-ms-continuation-NextPartitionKey", "1!8!cDE+/w=="), ("x-ms-continuation-NextRowKey", "1!4!cg=="))
            : StubHandler.Reply(HttpStatusCode.OK, """{"value":[{"PartitionKey":"p","RowKey":"b"}]}"""));
        var table = new TableClient(Service, "feedback", Key, stub.Options());

        var pages = await table.QueryAsync("Score ge 7", maxPerPage: 1, select: ["Score"]).AsPages().ToListAsync();

        Assert.Equal(["a", "b"], pages.SelectMany(p => p.Values).Select(e => e.RowKey));
        Assert.Equal("1!8!cDE+/w== 1!4!cg==", pages[0].ContinuationToken);
        var uris = stub.Requests.Select(r => r.Request.RequestUri!).ToList();
        Assert.Equal("/devstoreaccount1/feedback()", uris[0].AbsolutePath);
        Assert.Equal("?$filter=Score%20ge%207&$select=Score&$top=1", uris[0].Query);
        Assert.Equal("?$filter=Score%20ge%207&$select=Score&$top=1&NextPartitionKey=1%218%21cDE%2B%2Fw%3D%3D&NextRowKey=1%214%21cg%3D%3D", uris[1].Query);
    }

    [Fact]
    public void Query_MaxPerPageAbove1000_Throws()
    {
        var table = new TableClient(Service, "feedback", Key);

        Assert.Throws<ArgumentOutOfRangeException>(() => table.QueryAsync(maxPerPage: 1001));
    }

    [Fact]
    public void ConnectionString_WithoutAccountKey_Throws()
    {
        Assert.Throws<FormatException>(() => new TableClient("AccountName=acct", "feedback"));
    }
}
