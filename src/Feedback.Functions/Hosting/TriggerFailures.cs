using System.Runtime.ExceptionServices;
using Microsoft.Azure.WebJobs.Host.Timers;

namespace Feedback.Functions.Hosting;

/// <summary>
/// What the WebJobs host does with an exception no caller caught, such as a storage call that timed out while the
/// queue trigger released a failed message. Its default ends the process, for the Functions host to restart; in
/// standalone mode a slow or absent storage service must not stop the app, so the failure is logged instead: the
/// message stays in its queue and reappears when its visibility lease ends.
/// </summary>
internal sealed class TriggerFailures(ILoggerFactory loggers) : IWebJobsExceptionHandlerFactory, IWebJobsExceptionHandler
{
    private readonly ILogger _logger = loggers.CreateLogger("Feedback.Functions.Triggers");

    public IWebJobsExceptionHandler Create(IHost jobHost) => this;

    public Task OnTimeoutExceptionAsync(ExceptionDispatchInfo exceptionInfo, TimeSpan timeoutGracePeriod)
    {
        _logger.LogError(exceptionInfo.SourceException, "A queue function exceeded its timeout");
        return Task.CompletedTask;
    }

    public Task OnUnhandledExceptionAsync(ExceptionDispatchInfo exceptionInfo)
    {
        _logger.LogError(exceptionInfo.SourceException, "The queue trigger failed outside a function; the message reappears after its lease");
        return Task.CompletedTask;
    }
}
