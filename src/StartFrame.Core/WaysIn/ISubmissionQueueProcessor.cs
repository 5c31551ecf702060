namespace StartFrame.Core.WaysIn;

/// <summary>Handles one message of the <c>video-submissions</c> queue that other pipelines feed.</summary>
public interface ISubmissionQueueProcessor
{
    /// <summary>Invalid input becomes a failure record and returns; a transient problem throws so the host retries
    /// the message (and, after <c>maxDequeueCount</c>, moves it to the poison queue).</summary>
    Task ProcessAsync(string messageText, string messageId, long dequeueCount, CancellationToken cancellationToken);
}
