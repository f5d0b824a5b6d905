using Feedback.Functions.Storage;
using Microsoft.AspNetCore.Diagnostics;

namespace Feedback.Functions.Http;

/// <summary>A continuation the table refused is a bad request: 400 naming the field, like any other.</summary>
public sealed class PageTokenRefusedHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not PageTokenRefusedException)
        {
            return false;
        }

        await new Validator().Check(false, PageTokenRefusedException.Field, PageTokenRefusedException.Rule).Problem().ExecuteAsync(httpContext);
        return true;
    }
}
