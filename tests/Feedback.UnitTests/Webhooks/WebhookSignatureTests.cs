using System.Text.Json;
using Feedback.Functions.FollowUp;
using Feedback.Functions.Webhooks;

namespace Feedback.UnitTests.Webhooks;

public sealed class WebhookSignatureTests
{
    // The Standard Webhooks specification's published vector.
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long SpecTimestamp = 1614265330;
    private const string SpecBody = """{"test": 2432232314}""";
    private const string SpecSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void Sign_WithSpecificationVector_ProducesItsSignature()
    {
        Assert.True(WebhookSecret.TryParse(SpecSecret, out var key));

        Assert.Equal(SpecSignature, WebhookSignature.Sign(key, SpecId, SpecTimestamp, SpecBody));
    }

    [Fact]
    public void Sign_WithDocumentedVector_ProducesDocumentedSignature()
    {
        var vector = DocumentedVector();
        Assert.True(WebhookSecret.TryParse(vector["secret"], out var key));

        var signature = WebhookSignature.Sign(key, vector["webhook-id"], long.Parse(vector["timestamp"], System.Globalization.CultureInfo.InvariantCulture), vector["body"]);

        Assert.Equal(vector["signature"], signature);
    }

    [Fact]
    public void DocumentedVectorBody_IsExactlyWhatTheAppSendsForThatAlert()
    {
        var vector = DocumentedVector();
        var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(vector["timestamp"], System.Globalization.CultureInfo.InvariantCulture));
        var alert = new BurstAlert("prague-old-town", at.AddMinutes(-15), at, 6, 4);

        var body = JsonSerializer.Serialize(new WebhookEnvelope(WebhookEvents.BurstAlert, at, alert), WebhookEvents.Json);

        Assert.Equal(vector["body"], body);
        Assert.True(WebhookDelivery.IsId(vector["webhook-id"]));
    }

    [Fact]
    public void Payload_KeepsNationalLettersAsTheyAre_AndSignsTheirUtf8Bytes()
    {
        var body = JsonSerializer.Serialize(new WebhookEnvelope(WebhookEvents.CaseOpened, default, new { comment = "Żółć, příliš dlouhá fronta" }), WebhookEvents.Json);
        Assert.True(WebhookSecret.TryParse(SpecSecret, out var key));

        Assert.Contains("Żółć, příliš dlouhá fronta", body, StringComparison.Ordinal);
        var expected = "v1," + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes($"{SpecId}.{SpecTimestamp}.{body}")));
        Assert.Equal(expected, WebhookSignature.Sign(key, SpecId, SpecTimestamp, body));
    }

    [Fact]
    public void Verify_AcceptsItsOwnSignatureAmongSeveral_AndRefusesAnAlteredBody()
    {
        Assert.True(WebhookSecret.TryParse(SpecSecret, out var key));

        Assert.True(WebhookSignature.Verify(key, SpecId, SpecTimestamp, SpecBody, "v1,bm90LXRoaXMtb25l " + SpecSignature));
        Assert.False(WebhookSignature.Verify(key, SpecId, SpecTimestamp, """{"test": 2432232315}""", SpecSignature));
        Assert.False(WebhookSignature.Verify(key, SpecId, SpecTimestamp + 1, SpecBody, SpecSignature));
    }

    [Fact]
    public void GeneratedSecret_ParsesTo32RandomBytes()
    {
        var a = WebhookSecret.Generate();
        var b = WebhookSecret.Generate();

        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.True(WebhookSecret.TryParse(a, out var key));
        Assert.Equal(32, key.Length);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    [InlineData("whsec_")]
    [InlineData("whsec_c2hvcnQ=")]
    [InlineData("whsec_not base64!")]
    [InlineData("WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    public void TryParse_RefusesWhatIsNotAWhsecSecretOfEnoughBytes(string? secret) =>
        Assert.False(WebhookSecret.TryParse(secret, out _));

    /// <summary>The key–value block under "### Test vector" in docs/webhooks.md.</summary>
    private static Dictionary<string, string> DocumentedVector()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "webhooks.md"));
        var section = doc[doc.IndexOf("### Test vector", StringComparison.Ordinal)..];
        var start = section.IndexOf("```\n", StringComparison.Ordinal) + 4;
        var block = section[start..section.IndexOf("\n```", start, StringComparison.Ordinal)];
        return block.Split('\n').Select(line => line.Split(' ', 2)).ToDictionary(p => p[0], p => p[1].TrimStart());
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Feedback.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Feedback.sln not found above " + AppContext.BaseDirectory);
    }
}
