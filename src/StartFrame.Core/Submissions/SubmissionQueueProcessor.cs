namespace StartFrame.Core.Submissions;

/// <summary>Handles one message of the <c>video-submissions</c> queue that other pipelines feed.</summary>
public sealed class SubmissionQueueProcessor : ISubmissionQueueProcessor
{
    /// <summary>Invalid input becomes a failure record (returns); a transient problem throws so the host retries the message.</summary>
    public Task ProcessAsync(string messageText, string messageId, long dequeueCount, CancellationToken cancellationToken)
        => throw new NotImplementedException();
}
