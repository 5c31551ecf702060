namespace StartFrame.LocalDev.InProcess;

/// <summary>How the Functions blob trigger runs its function (host.json <c>extensions.blobs</c>), for <see cref="InProcessBlobTrigger"/>.</summary>
/// <param name="MaxDegreeOfParallelism">Blobs processed at once (<c>maxDegreeOfParallelism</c>).</param>
/// <param name="PoisonBlobThreshold">Failed runs of one blob before it goes to <c>webjobs-blobtrigger-poison</c> (<c>poisonBlobThreshold</c>).</param>
/// <param name="RetryDelay">Wait before the next run of a failed blob: the blob trigger's internal queue hides the
/// message for the queues' <c>visibilityTimeout</c>.</param>
public sealed record BlobTriggerSettings(int MaxDegreeOfParallelism, int PoisonBlobThreshold, TimeSpan RetryDelay)
{
    /// <summary>The Functions defaults, for whatever host.json leaves out.</summary>
    public static BlobTriggerSettings Defaults { get; } = new(8, 5, TimeSpan.Zero);
}
