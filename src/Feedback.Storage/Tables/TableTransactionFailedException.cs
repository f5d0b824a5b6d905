using Azure;

namespace Feedback.Storage.Tables;

/// <summary>
/// A transaction was rolled back because one action failed. <see cref="RequestFailedException.Status"/> and
/// <see cref="RequestFailedException.ErrorCode"/> are the failing action's.
/// </summary>
public sealed class TableTransactionFailedException : RequestFailedException
{
    public TableTransactionFailedException()
        : this("The transaction failed.")
    {
    }

    public TableTransactionFailedException(string message)
        : this(message, null)
    {
    }

    public TableTransactionFailedException(string message, Exception? innerException)
        : base(0, message, null, innerException)
    {
        FailedActionIndex = -1;
    }

    public TableTransactionFailedException(int status, string message, string? errorCode, int failedActionIndex)
        : base(status, message, errorCode, null)
    {
        FailedActionIndex = failedActionIndex;
    }

    /// <summary>The 0-based index of the action that failed, or -1 when the service did not name one.</summary>
    public int FailedActionIndex { get; }
}
