using System.Net;
using Feedback.Functions.Webhooks;

namespace Feedback.UnitTests.Webhooks;

public sealed class WebhookTargetsTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.0.9")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.10")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("fc12::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("::ffff:0:808:808")]
    [InlineData("::ffff:0:a00:1")]
    [InlineData("64:ff9b::808:808")]
    [InlineData("64:ff9b:1::808:808")]
    [InlineData("64:ff9b:1:ffff::1")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("168.63.129.16")]
    [InlineData("169.254.0.1")]
    [InlineData("fe80::abcd:1")]
    [InlineData("2002:c0a8:0101::1")]
    [InlineData("2001:db8::1")]
    public void IsPublic_RefusesPrivateLoopbackLinkLocalAndReserved(string address) =>
        Assert.False(WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("168.63.129.17")]
    [InlineData("2002:808:808::1")]
    [InlineData("64:ff9b:2::1")]
    public void IsPublic_AcceptsPublicAddresses(string address) =>
        Assert.True(WebhookTargets.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("https://127.0.0.1/hook", "private, loopback")]
    [InlineData("https://[::1]:8443/hook", "private, loopback")]
    [InlineData("https://169.254.169.254/latest/meta-data", "private, loopback")]
    [InlineData("https://10.0.0.5/hook", "private, loopback")]
    [InlineData("https://168.63.129.16/machine", "private, loopback")]
    [InlineData("https://[::ffff:8.8.8.8]/hook", "private, loopback")]
    [InlineData("https://[64:ff9b::808:808]/hook", "private, loopback")]
    [InlineData("http://93.184.215.14/hook", "https")]
    [InlineData("ftp://93.184.215.14/hook", "absolute https URL")]
    [InlineData("/relative", "absolute https URL")]
    [InlineData("https://user:pw@93.184.215.14/hook", "user information")]
    public async Task CheckAsync_WithoutPrivateTargets_RefusesWithAReason(string url, string reason)
    {
        var refusal = await WebhookTargets.CheckAsync(url, allowPrivate: false, CancellationToken.None);

        Assert.NotNull(refusal);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_AcceptsPublicHttpsAddress_AndLoopbackHttpOnlyWhenPrivateTargetsAreAllowed()
    {
        Assert.Null(await WebhookTargets.CheckAsync("https://93.184.215.14/hook", allowPrivate: false, CancellationToken.None));
        Assert.Null(await WebhookTargets.CheckAsync("http://127.0.0.1:8787/", allowPrivate: true, CancellationToken.None));
    }

    [Fact]
    public async Task ConnectAsync_ToLoopbackWithoutPrivateTargets_IsRefusedBeforeConnecting()
    {
        var e = await Assert.ThrowsAsync<WebhookTargetRefusedException>(async () =>
            await WebhookTargets.ConnectAsync(new DnsEndPoint("127.0.0.1", 9), allowPrivate: false, CancellationToken.None));

        Assert.Contains("127.0.0.1", e.Message, StringComparison.Ordinal);
    }
}
