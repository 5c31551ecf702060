
namespace StartFrame.Core.Records;

/// <summary>
/// What <c>video-completions</c> receives once per task: the video in storage (<see cref="Video"/>), or why there is
/// none (<see cref="Error"/>). Delivery is at least once: consumers de-duplicate by <see cref="TaskId"/>.
/// Schema: <c>Records/completion-record.schema.json</c>.
/// </summary>
public sealed record CompletionRecord
{
    /// <summary>Version of this shape; bumped on a breaking change.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>ModelStream's task id, as in the task record.</summary>
    public required string TaskId { get; init; }

    /// <summary>One of <see cref="CompletionStatuses"/>: <c>succeeded</c>, <c>failed</c> or <c>timed_out</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The stored video, when <see cref="Status"/> is <c>succeeded</c>.</summary>
    public CompletionVideo? Video { get; init; }

    /// <summary>Why there is no video, otherwise.</summary>
    public CompletionError? Error { get; init; }

    /// <summary>The start frame, as in the task record.</summary>
    public required RecordSource Source { get; init; }

    /// <summary>The sidecar the parameters came from, when there was one.</summary>
    public string? Sidecar { get; init; }

    /// <summary>When ModelStream accepted the task.</summary>
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>When the task was found finished (and its video stored).</summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>The submission's correlation id, as in the task record.</summary>
    public required string CorrelationId { get; init; }
    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of the trace this video's work belongs to, so later work and consumers
    /// join it; absent when nothing traced the submission. Added within schema version 1 (additive).
    /// </summary>
    public string? Traceparent { get; init; }
}

/// <summary>Where a finished video is stored.</summary>
/// <param name="Container">Always <c>videos</c>.</param>
/// <param name="Blob">The blob name: <c>a/b/cat/&lt;taskId&gt;.mp4</c> for <c>start-frames/a/b/cat.png</c>.</param>
/// <param name="Length">Its length in bytes.</param>
/// <param name="ContentType">Always <c>video/mp4</c>.</param>
public sealed record CompletionVideo(string Container, string Blob, long Length, string ContentType)
{
    /// <summary>The content type every stored video has.</summary>
    public const string Mp4 = "video/mp4";
}

/// <summary>Why a task ended without a video: a stable code (<see cref="CompletionErrorCodes"/>) and a sentence.</summary>
/// <param name="Code">The stable code.</param>
/// <param name="Message">What happened, for people.</param>
public sealed record CompletionError(string Code, string Message);
