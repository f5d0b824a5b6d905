using System.Diagnostics;
using Feedback.Functions.Hosting;

namespace Feedback.UnitTests.Hosting;

/// <summary>How a queue invocation joins the trace that enqueued its message, whichever mode delivered it.</summary>
public sealed class QueueTraceTests : IDisposable
{
    private readonly ActivityListener _listener = new()
    {
        ShouldListenTo = source => source.Name is "Feedback.Functions" or "test",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public QueueTraceTests() => ActivitySource.AddActivityListener(_listener);

    [Fact]
    public void MessageWithATraceParent_ContinuesThatTrace_AndLinksTheInvocation()
    {
        var enqueuedBy = ActivityContext.Parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        using var source = new ActivitySource("test");
        using var invocation = source.StartActivity("POST /ProcessFeedback", ActivityKind.Server);

        using var processing = Telemetry.StartQueueInvocation("ProcessFeedback", Trigger($$"""{"id":"a1","traceParent":"{{Format(enqueuedBy)}}"}"""));

        Assert.NotNull(processing);
        Assert.Equal(enqueuedBy.TraceId, processing.TraceId);
        Assert.Equal(enqueuedBy.SpanId, processing.ParentSpanId);
        Assert.Equal(ActivityKind.Consumer, processing.Kind);
        Assert.Equal(invocation!.Context, Assert.Single(processing.Links).Context);
        Assert.Equal("m-1", processing.GetTagItem("messaging.message.id"));
        Assert.Equal(2L, processing.GetTagItem("messaging.message.delivery_count"));
    }

    [Theory]
    [InlineData("""{"id":"a1"}""")]
    [InlineData("""{"id":"a1","traceParent":"not a trace"}""")]
    [InlineData("""{"id":"a1","traceParent":7}""")]
    [InlineData("not json at all")]
    [InlineData("[1,2]")]
    public void MessageWithoutAUsableTraceParent_StartsANewTrace_WithoutFailing(string text)
    {
        using var processing = Telemetry.StartQueueInvocation("ProcessFeedback", Trigger(text));

        Assert.NotNull(processing);
        Assert.Equal(default, processing.ParentSpanId);
    }

    [Fact]
    public void TheCurrentTraceParent_IsW3C_AndNoneWithoutAnActivity()
    {
        Assert.Null(Activity.Current);
        Assert.Null(Telemetry.CurrentTraceParent());
        using var source = new ActivitySource("test");
        using var request = source.StartActivity("POST /api/feedback", ActivityKind.Server)!;

        Assert.Equal($"00-{request.TraceId}-{request.SpanId}-01", Telemetry.CurrentTraceParent());
    }

    public void Dispose() => _listener.Dispose();

    private static QueueTrigger Trigger(string text) => new(text, "m-1", 2, DateTimeOffset.UtcNow);

    private static string Format(ActivityContext context) => $"00-{context.TraceId}-{context.SpanId}-01";
}
