namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// How the Functions queue trigger delivers messages (host.json <c>extensions.queues</c>), for <see cref="QueuePump"/>.
/// </summary>
/// <param name="BatchSize">Messages fetched at once and run in parallel (<c>batchSize</c>).</param>
/// <param name="NewBatchThreshold">Fetch the next batch once this many or fewer are still running (<c>newBatchThreshold</c>).</param>
/// <param name="MaxPollingInterval">Longest wait between two looks at an empty queue (<c>maxPollingInterval</c>).</param>
/// <param name="VisibilityTimeout">How long a failed message stays invisible before its next delivery (<c>visibilityTimeout</c>).</param>
/// <param name="MaxDequeueCount">Deliveries before a failing message moves to the poison queue (<c>maxDequeueCount</c>).</param>
/// <param name="InvisibleWhileRunning">How long a fetched message stays invisible while it runs (the host's <c>functionTimeout</c>).</param>
public sealed record QueueTriggerSettings(
    int BatchSize,
    int NewBatchThreshold,
    TimeSpan MaxPollingInterval,
    TimeSpan VisibilityTimeout,
    int MaxDequeueCount,
    TimeSpan InvisibleWhileRunning)
{
    /// <summary>The Functions defaults, for whatever host.json leaves out.</summary>
    public static QueueTriggerSettings Defaults { get; } = new(16, 8, TimeSpan.FromMinutes(1), TimeSpan.Zero, 5, TimeSpan.FromMinutes(10));
}
