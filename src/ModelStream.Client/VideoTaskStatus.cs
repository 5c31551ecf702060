namespace ModelStream.Client;

/// <summary>Where a generation task stands, read from either poll shape ModelStream deployments answer.</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="Status">Normalized: <see cref="Queued"/>, <see cref="InProgress"/>, <see cref="Completed"/>, <see cref="Failed"/> or <see cref="Unknown"/>.</param>
/// <param name="Progress">Percent done (0–100), when reported.</param>
/// <param name="ResultUrl">The video, once completed. It expires after about 24 hours: copy it, do not store the link.</param>
/// <param name="FailReason">Why the task failed, when it did and the service said.</param>
public sealed record VideoTaskStatus(string TaskId, string Status, int? Progress, Uri? ResultUrl, string? FailReason)
{
    /// <summary>Accepted, not started (<c>NOT_START</c>, <c>SUBMITTED</c>, <c>QUEUED</c>, <c>queued</c>).</summary>
    public const string Queued = "queued";

    /// <summary>Being generated (<c>IN_PROGRESS</c>, <c>in_progress</c>, <c>processing</c>).</summary>
    public const string InProgress = "in_progress";

    /// <summary>Done; <see cref="ResultUrl"/> holds the video (<c>SUCCESS</c>, <c>completed</c>, <c>succeeded</c>).</summary>
    public const string Completed = "completed";

    /// <summary>Ended without a video (<c>FAILURE</c>, <c>failed</c>, <c>cancelled</c>).</summary>
    public const string Failed = "failed";

    /// <summary>Any status this client does not know (<c>UNKNOWN</c> included).</summary>
    public const string Unknown = "unknown";

    /// <summary>True once the task will not change any more.</summary>
    public bool IsFinished => Status is Completed or Failed;
}
