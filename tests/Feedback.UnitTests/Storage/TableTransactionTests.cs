using Azure;
using Feedback.Storage.Tables;

namespace Feedback.UnitTests.Storage;

public sealed class TableTransactionTests
{
    private const string TableUri = "http://127.0.0.1:10002/devstoreaccount1/fb123";

    // Captured from Azurite 3.37: Add, UpsertMerge, Delete, all successful.
    private static readonly string Success = """
        --batchresponse_b1
        Content-Type: multipart/mixed; boundary=changesetresponse_c1

        --changesetresponse_c1
        Content-Type: application/http
        Content-Transfer-Encoding: binary

        HTTP/1.1 204 No Content
        X-Content-Type-Options: nosniff
        Cache-Control: no-cache
        DataServiceVersion: 3.0;
        Location: http://127.0.0.1:38889/devstoreaccount1/probea599ffa3(PartitionKey='p',RowKey='new')
        DataServiceId: http://127.0.0.1:38889/devstoreaccount1/probea599ffa3(PartitionKey='p',RowKey='new')
        ETag: W/"datetime'2026-11-22T12%3A17%3A39.4052257Z'"


        --changesetresponse_c1
        Content-Type: application/http
        Content-Transfer-Encoding: binary

        HTTP/1.1 204 No Content
        X-Content-Type-Options: nosniff
        Cache-Control: no-cache
        DataServiceVersion: 3.0;
        ETag: W/"datetime'2026-11-22T12%3A17%3A39.4052384Z'"


        --changesetresponse_c1
        Content-Type: application/http
        Content-Transfer-Encoding: binary

        HTTP/1.1 204 No Content
        X-Content-Type-Options: nosniff
        Cache-Control: no-cache
        DataServiceVersion: 1.0;


        --changesetresponse_c1--
        --batchresponse_b1--

        """.ReplaceLineEndings("\r\n");

    // Captured from Azurite 3.37: the second of two inserts hit an existing entity.
    private static readonly string Conflict = """
        --batchresponse_96b7a06c0c1945d3bb770e2098dfc8ae
        Content-Type: multipart/mixed; boundary=changesetresponse_b54b97c87bec4b82b903c63547c71a2a

        --changesetresponse_b54b97c87bec4b82b903c63547c71a2a
        Content-Type: application/http
        Content-Transfer-Encoding: binary

        HTTP/1.1 409 Conflict
        Content-ID: 2
        DataServiceVersion: 3.0;
        Content-Type: application/json;odata=minimalmetadata;charset=utf-8

        {"odata.error":{"code":"EntityAlreadyExists","message":{"lang":"en-US","value":"1:The specified entity already exists.\nRequestId:0ddbf0b7-5344-4fc4-9bbf-08160fe41f64\nTime:2026-11-22T12:13:22.095Z"}}}
        --changesetresponse_b54b97c87bec4b82b903c63547c71a2a--
        --batchresponse_96b7a06c0c1945d3bb770e2098dfc8ae--

        """.ReplaceLineEndings("\r\n");

    // Captured from Azurite 3.37 for 101 actions: a general error, oddly framed, still prefixed "0:".
    private static readonly string TooMany = """
        --batchresponse_b1
        Content-Type: multipart/mixed; boundary=changesetresponse_c1

        --changesetresponse_c1
        Content-Type: application/http
        Content-Transfer-Encoding: binary

        changesetresponse_c1
        HTTP/1.1 400 Bad Request
        X-Content-Type-Options: nosniff
        DataServiceVersion: 3.0;
        Content-Type: application/json;odata=minimalmetadata;charset=utf-8

        {"odata.error":{"code":"InvalidInput","message":{"lang":"en-US","value":"0:The batch request operation exceeds the maximum 100 changes per change set.\nRequestId:07820fed-e0f7-4abd-853a-c3f4b2b086c0\nTime:2026-11-22T12:17:31.7030000Z"}}}
        --changesetresponse_c1--
        --batchresponse_b1--
        """.ReplaceLineEndings("\r\n");

    [Fact]
    public void Build_WritesOneChangesetWithCrlfAndOneSubRequestPerAction()
    {
        var etag = new ETag("W/\"datetime'2026-11-22T11%3A48%3A36.0569074Z'\"");
        TableTransactionAction[] actions =
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "a") { ["v"] = 1 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "it's") { ["v"] = 2L }, etag),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "c")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "d")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "e")),
            new(TableTransactionActionType.Delete, new TableEntity("p", "f g")),
        ];

        var body = TableTransactionBody.Build(TableUri, actions, "batch_B", "changeset_C");

        var expected = """
            --batch_B
            Content-Type: multipart/mixed; boundary=changeset_C

            --changeset_C
            Content-Type: application/http
            Content-Transfer-Encoding: binary

            POST http://127.0.0.1:10002/devstoreaccount1/fb123 HTTP/1.1
            Accept: application/json;odata=minimalmetadata
            Content-Type: application/json
            Prefer: return-no-content
            DataServiceVersion: 3.0;

            {"PartitionKey":"p","RowKey":"a","v":1}
            --changeset_C
            Content-Type: application/http
            Content-Transfer-Encoding: binary

            MERGE http://127.0.0.1:10002/devstoreaccount1/fb123(PartitionKey='p',RowKey='it%27%27s') HTTP/1.1
            Accept: application/json;odata=minimalmetadata
            Content-Type: application/json
            If-Match: W/"datetime'2026-11-22T11%3A48%3A36.0569074Z'"
            DataServiceVersion: 3.0;

            {"PartitionKey":"p","RowKey":"it\u0027s","v":"2","v@odata.type":"Edm.Int64"}
            --changeset_C
            Content-Type: application/http
            Content-Transfer-Encoding: binary

            PUT http://127.0.0.1:10002/devstoreaccount1/fb123(PartitionKey='p',RowKey='c') HTTP/1.1
            Accept: application/json;odata=minimalmetadata
            Content-Type: application/json
            If-Match: *
            DataServiceVersion: 3.0;

            {"PartitionKey":"p","RowKey":"c"}
            --changeset_C
            Content-Type: application/http
            Content-Transfer-Encoding: binary

            MERGE http://127.0.0.1:10002/devstoreaccount1/fb123(PartitionKey='p',RowKey='d') HTTP/1.1
            Accept: application/json;odata=minimalmetadata
            Content-Type: application/json
            DataServiceVersion: 3.0;

            {"PartitionKey":"p","RowKey":"d"}
            --changeset_C
            Content-Type: application/http
            Content-Transfer-Encoding: binary

            PUT http://127.0.0.1:10002/devstoreaccount1/fb123(PartitionKey='p',RowKey='e') HTTP/1.1
            Accept: application/json;odata=minimalmetadata
            Content-Type: application/json
            DataServiceVersion: 3.0;

            {"PartitionKey":"p","RowKey":"e"}
            --changeset_C
            Content-Type: application/http
            Content-Transfer-Encoding: binary

            DELETE http://127.0.0.1:10002/devstoreaccount1/fb123(PartitionKey='p',RowKey='f%20g') HTTP/1.1
            Accept: application/json;odata=minimalmetadata
            If-Match: *
            DataServiceVersion: 3.0;

            --changeset_C--
            --batch_B--

            """.ReplaceLineEndings("\r\n");
        Assert.Equal(expected, body);
    }

    [Fact]
    public void Parse_Success_ReturnsEachSubResponseAndTheirETagsInOrder()
    {
        var parts = TableTransactionResponse.Parse("multipart/mixed; boundary=batchresponse_b1", Success);

        Assert.Equal([204, 204, 204], parts.Select(p => p.Status));
        var etags = TableTransactionResponse.Evaluate(parts, 3);
        Assert.Equal(
            [new ETag("W/\"datetime'2026-11-22T12%3A17%3A39.4052257Z'\""), new ETag("W/\"datetime'2026-11-22T12%3A17%3A39.4052384Z'\""), default],
            etags);
    }

    [Fact]
    public void Parse_AcceptsBareLineFeeds()
    {
        var parts = TableTransactionResponse.Parse("multipart/mixed; boundary=batchresponse_b1", Success.ReplaceLineEndings("\n"));

        Assert.Equal(3, TableTransactionResponse.Evaluate(parts, 3).Count);
    }

    [Fact]
    public void Evaluate_FailedSubResponse_ThrowsWithIndexStatusAndCode()
    {
        var parts = TableTransactionResponse.Parse("multipart/mixed; boundary=batchresponse_96b7a06c0c1945d3bb770e2098dfc8ae", Conflict);

        var error = Assert.Throws<TableTransactionFailedException>(() => TableTransactionResponse.Evaluate(parts, 2));

        Assert.Equal(1, error.FailedActionIndex);
        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.Contains("The specified entity already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WithoutMessagePrefix_FallsBackToTheOneBasedContentId()
    {
        var part = new TableTransactionResponse.Part(
            404, new Dictionary<string, string> { ["Content-ID"] = "3" }, """{"odata.error":{"code":"ResourceNotFound","message":{"value":"gone"}}}""");

        var error = Assert.Throws<TableTransactionFailedException>(() => TableTransactionResponse.Evaluate([part], 3));

        Assert.Equal(2, error.FailedActionIndex);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
    }

    [Fact]
    public void Evaluate_GeneralError_IsAFailureToo()
    {
        var parts = TableTransactionResponse.Parse("multipart/mixed; boundary=batchresponse_b1", TooMany);

        var error = Assert.Throws<TableTransactionFailedException>(() => TableTransactionResponse.Evaluate(parts, 101));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidInput", error.ErrorCode);
    }

    [Fact]
    public void Evaluate_MissingSubResponses_Throws()
    {
        var parts = TableTransactionResponse.Parse("multipart/mixed; boundary=batchresponse_b1", Success);

        Assert.Throws<RequestFailedException>(() => TableTransactionResponse.Evaluate(parts, 4));
    }
}
