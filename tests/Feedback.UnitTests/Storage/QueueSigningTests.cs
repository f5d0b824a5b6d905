using Feedback.Storage;
using Feedback.Storage.Pipeline;
using Feedback.Storage.Queues;

namespace Feedback.UnitTests.Storage;

public sealed class QueueSigningTests
{
    private const string Date = "Sun, 22 Nov 2026 11:48:36 GMT";

    [Fact]
    public void StringToSign_PutMessage_MatchesAzuriteVerifiedVector()
    {
        var headers = new Dictionary<string, string>
        {
            ["Content-Length"] = "68",
            ["Content-Type"] = "application/xml",
            ["x-ms-version"] = "2025-11-05",
            ["x-ms-date"] = Date,
            ["User-Agent"] = "ignored",
        };

        var actual = QueueSharedKeyPolicy.StringToSign(
            "POST", "devstoreaccount1",
            new Uri("http://127.0.0.1:10001/devstoreaccount1/fqe7f60fcb/messages?visibilitytimeout=0&messagettl=3600"),
            headers);

        Assert.Equal(
            "POST\n\n\n68\n\napplication/xml\n\n\n\n\n\n\nx-ms-date:" + Date + "\nx-ms-version:2025-11-05\n" +
            "/devstoreaccount1/devstoreaccount1/fqe7f60fcb/messages\nmessagettl:3600\nvisibilitytimeout:0",
            actual);
    }

    [Fact]
    public void StringToSign_GetMetadata_OnAccountHost_HasEmptyLengthAndCompParameter()
    {
        var actual = QueueSharedKeyPolicy.StringToSign(
            "GET", "myaccount", new Uri("https://myaccount.queue.core.windows.net/orders?comp=metadata"),
            new Dictionary<string, string> { ["x-ms-date"] = Date, ["x-ms-version"] = "2025-11-05", ["Content-Length"] = "0" });

        Assert.Equal(
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:" + Date + "\nx-ms-version:2025-11-05\n/myaccount/orders\ncomp:metadata",
            actual);
    }

    [Fact]
    public void StringToSign_DecodesQueryValues_AndSortsHeadersCaseInsensitively()
    {
        var actual = QueueSharedKeyPolicy.StringToSign(
            "DELETE", "acct", new Uri("https://acct.queue.core.windows.net/q/messages/id1?popreceipt=AgAA%2BAA%3D"),
            new Dictionary<string, string> { ["X-MS-Version"] = "2025-11-05", ["x-ms-client-request-id"] = "abc", ["x-ms-date"] = Date });

        Assert.EndsWith(
            "x-ms-client-request-id:abc\nx-ms-date:" + Date + "\nx-ms-version:2025-11-05\n/acct/q/messages/id1\npopreceipt:AgAA+AA=",
            actual, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_IsHmacSha256OfStringToSign_WithDecodedKey()
    {
        var credential = new StorageSharedKeyCredential("acct", Convert.ToBase64String("secret-key-bytes"u8.ToArray()));
        using var hmac = new System.Security.Cryptography.HMACSHA256("secret-key-bytes"u8.ToArray());

        Assert.Equal(Convert.ToBase64String(hmac.ComputeHash("GET\n"u8.ToArray())), credential.Sign("GET\n"));
    }

    [Theory]
    [InlineData("feedback-submitted")]
    [InlineData("abc")]
    [InlineData("a1-b2-c3")]
    public void ValidateName_AcceptsValidNames(string name) => QueueClient.ValidateName(name);

    [Theory]
    [InlineData("ab")]
    [InlineData("Feedback")]
    [InlineData("double--hyphen")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("under_score")]
    public void ValidateName_RejectsInvalidNames(string name) =>
        Assert.Throws<ArgumentException>(() => QueueClient.ValidateName(name));

    [Fact]
    public void ValidateName_RejectsNamesLongerThan63() =>
        Assert.Throws<ArgumentException>(() => QueueClient.ValidateName(new string('a', 64)));
}
