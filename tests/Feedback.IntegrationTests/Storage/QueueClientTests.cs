using Azure;
using Feedback.IntegrationTests.Infrastructure;
using Feedback.Storage.Queues;

namespace Feedback.IntegrationTests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class QueueClientTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly QueueClient _queue = new(azurite.ConnectionString, AzuriteFixture.UniqueName("q"));

    public Task InitializeAsync() => _queue.CreateIfNotExistsAsync();

    public Task DisposeAsync() => _queue.DeleteAsync();

    [Fact]
    public async Task CreateIfNotExists_SecondCall_ReturnsFalse()
    {
        var other = new QueueClient(azurite.ConnectionString, AzuriteFixture.UniqueName("q"));
        Assert.True(await other.CreateIfNotExistsAsync());
        Assert.False(await other.CreateIfNotExistsAsync());
        await other.DeleteAsync();
        await other.DeleteAsync();
        Assert.True(await other.CreateIfNotExistsAsync());
        await other.DeleteAsync();
    }

    [Fact]
    public async Task SendReceiveDelete_RoundTripsUnicodeAndXmlText()
    {
        const string text = "{\"comment\":\"Kafe <b>&</b> čaj — zażółć\"}";
        var sent = await _queue.SendMessageAsync(text);

        var received = Assert.Single(await _queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30)));
        Assert.Equal(sent.MessageId, received.MessageId);
        Assert.Equal(text, received.Text);
        Assert.Equal(1, received.DequeueCount);
        Assert.True(received.InsertionTime <= DateTimeOffset.UtcNow.AddSeconds(5));

        await _queue.DeleteMessageAsync(received.MessageId, received.PopReceipt);
        Assert.Empty(await _queue.PeekMessagesAsync(32));
        Assert.Equal(0, await _queue.GetApproximateMessagesCountAsync());
    }

    [Fact]
    public async Task Send_UsesBase64OnTheWire_AsTheFunctionsHostExpects()
    {
        await _queue.SendMessageAsync("hello");
        var raw = new QueueClient(azurite.ConnectionString, _queue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });

        var peeked = Assert.Single(await raw.PeekMessagesAsync());

        Assert.Equal("aGVsbG8=", peeked.Text);
    }

    [Fact]
    public async Task Receive_AfterVisibilityTimeout_MessageReappearsWithDequeueCountTwo()
    {
        await _queue.SendMessageAsync("again");
        var first = Assert.Single(await _queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1)));
        Assert.Empty(await _queue.ReceiveMessagesAsync(1));

        var second = await Eventually.First(() => _queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(30)));

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        await Assert.ThrowsAsync<RequestFailedException>(() => _queue.DeleteMessageAsync(first.MessageId, first.PopReceipt));
    }

    [Fact]
    public async Task Send_WithVisibilityDelay_HidesMessageUntilDue()
    {
        await _queue.SendMessageAsync("later", visibilityTimeout: TimeSpan.FromSeconds(2), timeToLive: TimeSpan.FromMinutes(5));

        Assert.Empty(await _queue.ReceiveMessagesAsync());
        var message = await Eventually.First(() => _queue.ReceiveMessagesAsync());
        Assert.Equal("later", message.Text);
        Assert.InRange(message.ExpirationTime - message.InsertionTime, TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5.1));
    }

    [Fact]
    public async Task UpdateMessage_ChangesTextAndReleasesImmediately()
    {
        await _queue.SendMessageAsync("v1");
        var received = Assert.Single(await _queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5)));

        var receipt = await _queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.Zero, "v2");
        Assert.NotEqual(received.PopReceipt, receipt.PopReceipt);

        var again = Assert.Single(await _queue.ReceiveMessagesAsync());
        Assert.Equal("v2", again.Text);
        Assert.Equal(2, again.DequeueCount);
    }

    [Fact]
    public async Task UpdateMessage_ExtendsVisibility_KeepsMessageHidden()
    {
        await _queue.SendMessageAsync("busy");
        var received = Assert.Single(await _queue.ReceiveMessagesAsync(1, TimeSpan.FromSeconds(1)));

        var receipt = await _queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.FromMinutes(5));
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Empty(await _queue.ReceiveMessagesAsync());
        Assert.True(receipt.NextVisibleOn > DateTimeOffset.UtcNow.AddMinutes(4));
        await _queue.DeleteMessageAsync(received.MessageId, receipt.PopReceipt);
    }

    [Fact]
    public async Task Peek_DoesNotChangeDequeueCountOrVisibility()
    {
        await _queue.SendMessageAsync("look");

        Assert.Equal(0, Assert.Single(await _queue.PeekMessagesAsync()).DequeueCount);
        Assert.Equal(1, Assert.Single(await _queue.ReceiveMessagesAsync()).DequeueCount);
    }

    [Fact]
    public async Task ApproximateCount_CountsVisibleAndHidden()
    {
        for (var i = 0; i < 3; i++)
        {
            await _queue.SendMessageAsync($"m{i}");
        }

        Assert.Equal(3, await _queue.GetApproximateMessagesCountAsync());
        Assert.Equal(3, (await _queue.ReceiveMessagesAsync(32)).Count);
    }

    [Fact]
    public async Task Send_OversizeMessage_IsRejectedBeforeSending()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => _queue.SendMessageAsync(new string('x', 49_153)));

        Assert.Contains("65536", exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _queue.GetApproximateMessagesCountAsync());
        await _queue.SendMessageAsync(new string('x', 49_152));
        Assert.Equal(49_152, Assert.Single(await _queue.ReceiveMessagesAsync()).Text.Length);
    }

    [Fact]
    public async Task ServiceErrors_CarryStatusAndErrorCode()
    {
        var missing = new QueueClient(azurite.ConnectionString, AzuriteFixture.UniqueName("q"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => missing.SendMessageAsync("x"));

        Assert.Equal(404, error.Status);
        Assert.Equal("QueueNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task Receive_MoreThan32_IsRejectedBeforeSending()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _queue.ReceiveMessagesAsync(33));
    }
}
