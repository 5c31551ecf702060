namespace StartFrame.Core.Records;

/// <summary>The stable <c>error.code</c> values of a completion record that has no video.</summary>
public static class CompletionErrorCodes
{
    /// <summary>ModelStream reported the generation failed (its reason is the message).</summary>
    public const string GenerationFailed = "generation_failed";

    /// <summary>ModelStream answered that it does not know the task.</summary>
    public const string TaskNotExist = "task_not_exist";

    /// <summary>The signed result URL was refused (403/404/410/401) when the copy started: it expired or was revoked.</summary>
    public const string ResultUrlExpired = "result_url_expired";

    /// <summary>The task had not finished at the tracking horizon.</summary>
    public const string HorizonReached = "horizon_reached";

    /// <summary>The result URL (or a redirect it answered) leads where nothing is fetched: not https, or an internal address.</summary>
    public const string ResultUrlRefused = "result_url_refused";

    /// <summary>The result video is larger than <c>StartFrame__VideoMaxBytes</c>.</summary>
    public const string VideoTooLarge = "video_too_large";

    /// <summary>The task ended with a video, but every copy failed (an error, no video, a stalled body) until the horizon.</summary>
    public const string VideoCopyFailed = "video_copy_failed";
}
