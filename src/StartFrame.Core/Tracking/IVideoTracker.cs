namespace StartFrame.Core.Tracking;

/// <summary>One delivery of <c>video-tracking</c> as the function app and <c>startframe track</c> see it (a seam so the
/// adapter is tested without storage).</summary>
public interface IVideoTracker
{
    /// <summary>Polls the task once and either queues the next poll or finishes it (copy, completion record, ledger).</summary>
    /// <param name="messageText">The tracking message as queued.</param>
    /// <param name="dequeueCount">How many times the queue delivered this message (for the logs).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What happened. A storage failure that must not lose the completion throws, so the platform delivers again.</returns>
    Task<TrackingOutcome> TrackAsync(string messageText, long dequeueCount, CancellationToken cancellationToken);
}
