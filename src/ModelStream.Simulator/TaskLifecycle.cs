namespace ModelStream.Simulator;

/// <summary>A task the simulator handed out, with what a submit fault decided about its end.</summary>
/// <param name="TaskId">The 12-character id.</param>
/// <param name="Model">The model it was submitted to.</param>
/// <param name="CreatedAt">When it was accepted (simulator clock).</param>
/// <param name="FailReason">When set, the generation ends <c>failed</c> with this reason instead of a video.</param>
/// <param name="ResultExpired">When true, the result URL is already expired when the task succeeds.</param>
/// <param name="DurationSeconds">The video's requested duration (<c>duration</c>; 5 when absent or out of range).</param>
/// <param name="Height">The video's requested height (<c>metadata.resolution</c>, e.g. <c>1080p</c>; 720 when absent).</param>
/// <param name="ResultUrl">When set, the result URL its polls report once it succeeds, as written (<c>{video}</c> = the signed one).</param>
internal sealed record IssuedTask(string TaskId, string Model, DateTimeOffset CreatedAt, string? FailReason = null, bool ResultExpired = false, int DurationSeconds = 5, int Height = 720, string? ResultUrl = null);

/// <summary>Where a task stands at one moment: <c>queued</c>, <c>in_progress</c>, <c>succeeded</c> or <c>failed</c>.</summary>
internal readonly record struct TaskView(string Status, int Progress, DateTimeOffset? FinishedAt, string? FailReason = null)
{
    public const string Queued = "queued";
    public const string InProgress = "in_progress";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";

    /// <summary>True once the task will not change any more.</summary>
    public bool IsFinished => Status is Succeeded or Failed;

    /// <summary>
    /// The task's state from its age alone, so it needs no timer: queued for the first tenth of the generation time,
    /// then in progress (0–99 %), then finished. Without a generation time a task stays queued.
    /// </summary>
    public static TaskView Of(IssuedTask task, TimeSpan? generationTime, DateTimeOffset now)
    {
        if (generationTime is not { } total)
        {
            return new TaskView(Queued, 0, null);
        }

        var age = now - task.CreatedAt;
        if (age >= total)
        {
            return task.FailReason is null
                ? new TaskView(Succeeded, 100, task.CreatedAt + total)
                : new TaskView(Failed, 100, task.CreatedAt + total, task.FailReason);
        }

        var queuedFor = total / 10;
        if (age < queuedFor)
        {
            return new TaskView(Queued, 0, null);
        }

        var progress = (int)Math.Clamp(100 * (age - queuedFor).Ticks / Math.Max(1, (total - queuedFor).Ticks), 0, 99);
        return new TaskView(InProgress, progress, null);
    }
}
