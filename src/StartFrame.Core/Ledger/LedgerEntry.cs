using System.ComponentModel;
using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;
using StartFrame.Core.Records;

namespace StartFrame.Core.Ledger;

/// <summary>
/// One row of the ledger: the fate of one submission (an upload with given image and sidecar content, or an
/// idempotency key). Keys are fixed-length hashes (<see cref="LedgerKey"/>); the readable names are properties.
/// </summary>
public sealed class LedgerEntry : ITableEntity
{
    /// <inheritdoc />
    public string PartitionKey { get; set; } = "";

    /// <inheritdoc />
    public string RowKey { get; set; } = "";

    /// <inheritdoc />
    public DateTimeOffset? Timestamp { get; set; }

    /// <inheritdoc />
    public ETag ETag { get; set; }

    /// <summary>One of <see cref="LedgerStates"/>.</summary>
    public string State { get; set; } = LedgerStates.Claimed;

    /// <summary><c>blob</c>, <c>http</c> or <c>queue</c>.</summary>
    public string? Origin { get; set; }

    /// <summary>Image container (blob origin, or an HTTP submission naming a blob).</summary>
    public string? Container { get; set; }

    /// <summary>Image blob name.</summary>
    public string? Blob { get; set; }

    /// <summary>Image URL without user info or query (URL origin).</summary>
    public string? ImageUrl { get; set; }

    /// <summary>The caller's idempotency key, as given (its hash is the partition key).</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>ETag of the sidecar the run used; a fixed sidecar (new ETag) may re-try a refused image.</summary>
    public string? SidecarEtag { get; set; }

    /// <summary>Hash of the request body (idempotency keys: same key + different body is refused).</summary>
    public string? BodyHash { get; set; }

    /// <summary>Which run holds the claim.</summary>
    public string? ClaimId { get; set; }

    /// <summary>When the claim was taken; with the lease it tells a live claim from a crashed one.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>Deliveries that ended in a transient failure.</summary>
    public int Attempts { get; set; }

    /// <summary>When this submission first found every provider slot taken (admission control); it gives up by this
    /// time, never by a count of 429s. Cleared when it is claimed afresh after a failure or a redrive.</summary>
    public DateTimeOffset? SlotWaitSince { get; set; }

    /// <summary>The model submitted.</summary>
    public string? Model { get; set; }

    /// <summary>ModelStream's task id, once known.</summary>
    public string? TaskId { get; set; }

    /// <summary>A failure record owed to its queue: kept here when the queue write failed, so the next delivery writes
    /// it and nothing is lost. An owed task record is <see cref="TaskRecordJson"/> itself (<see cref="RecordQueue"/> says so).</summary>
    [IgnoreDataMember]
    public string? RecordJson
    {
        get => LedgerText.Join(RecordJsonPart1, RecordJsonPart2, RecordJsonPart3, RecordJsonPart4);
        set => (RecordJsonPart1, RecordJsonPart2, RecordJsonPart3, RecordJsonPart4) = Parts(value);
    }

    /// <summary>The queue a record is owed to (<c>video-tasks</c> or <c>video-task-failures</c>); null when nothing is owed.</summary>
    public string? RecordQueue { get; set; }

    /// <summary>True when a record or the first tracking message could not be queued and is kept here until it is.</summary>
    [IgnoreDataMember]
    public bool OwesRecord => RecordQueue is not null || TrackingJson is not null;

    /// <summary>The queue of what is owed: <see cref="RecordQueue"/>, or <c>video-tracking</c> when only the first poll is.</summary>
    [IgnoreDataMember]
    public string OwedQueue => RecordQueue ?? StartFrameOptions.TrackingQueue;

    /// <summary>The task record a replay answers with while something is owed: the entry's task record, unless what is
    /// owed is a failure record (the first answer was a refusal or an ambiguity).</summary>
    [IgnoreDataMember]
    public string? OwedTaskRecordJson => RecordQueue is null or StartFrameOptions.TasksQueue ? TaskRecordJson : null;

    /// <summary>The task record as queued (secrets removed): answers idempotent replays, <c>GET /api/videos/{taskId}</c> and <c>status</c>.</summary>
    [IgnoreDataMember]
    public string? TaskRecordJson
    {
        get => LedgerText.Join(TaskRecordJsonPart1, TaskRecordJsonPart2, TaskRecordJsonPart3, TaskRecordJsonPart4);
        set => (TaskRecordJsonPart1, TaskRecordJsonPart2, TaskRecordJsonPart3, TaskRecordJsonPart4) = Parts(value);
    }

    /// <summary>Storage of <see cref="TaskRecordJson"/>, first part.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string? TaskRecordJsonPart1 { get; set; }

    /// <summary>Storage of <see cref="TaskRecordJson"/>, second part.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string? TaskRecordJsonPart2 { get; set; }

    /// <summary>Storage of <see cref="TaskRecordJson"/>, third part.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string? TaskRecordJsonPart3 { get; set; }

    /// <summary>Storage of <see cref="TaskRecordJson"/>, fourth part.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string? TaskRecordJsonPart4 { get; set; }

    /// <summary>Storage of <see cref="RecordJson"/>, first part.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string? RecordJsonPart1 { get; set; }

    /// <summary>Storage of <see cref="RecordJson"/>, second part.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string? RecordJsonPart2 { get; set; }

    /// <summary>Storage of <see cref="RecordJson"/>, third part.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string? RecordJsonPart3 { get; set; }

    /// <summary>Storage of <see cref="RecordJson"/>, fourth part.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public string? RecordJsonPart4 { get; set; }

    /// <summary>The correlation id of the run that last changed the entry.</summary>
    public string? CorrelationId { get; set; }

    /// <summary>The W3C <c>traceparent</c> of the run that last claimed the entry, marked it waiting or marked it
    /// ambiguous: the trace its work and records are in. A later run that meets the entry in another trace (an image's
    /// other event, a take after a crash or a redrive, a replayed idempotency key) links its claim span to this one.</summary>
    public string? Traceparent { get; set; }

    /// <summary>Stage of the last failure (<c>validation</c>/<c>submit</c>).</summary>
    public string? FailureStage { get; set; }

    /// <summary>Code of the last failure.</summary>
    public string? LastErrorCode { get; set; }

    /// <summary>Message of the last failure.</summary>
    public string? LastErrorMessage { get; set; }

    /// <summary>When the submission was accepted by ModelStream.</summary>
    public DateTimeOffset? SubmittedAt { get; set; }

    /// <summary>When the entry was first written.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When the entry last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    // Tracking: following the task to its end. Written only once the submission is recorded, by the tracker.

    /// <summary>The first tracking message, owed to <c>video-tracking</c> when its queue write failed at submission;
    /// written by the next delivery like <see cref="RecordJson"/>. Null once it is on its queue.</summary>
    public string? TrackingJson { get; set; }

    /// <summary>Null (or empty) while the task is tracked; <c>finishing</c> while a run holds the completion claim; then
    /// the completion status: <c>succeeded</c>, <c>failed</c> or <c>timed_out</c>.</summary>
    public string? TrackingState { get; set; }

    /// <summary>Which tracking run holds the completion claim (copy and record).</summary>
    public string? TrackingClaimId { get; set; }

    /// <summary>When the completion claim was taken; with <c>StartFrame:ClaimLease</c> it tells a live run from a crashed one.</summary>
    public DateTimeOffset? TrackingClaimedAt { get; set; }

    /// <summary>When the completion record was written.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>Container of the stored video (succeeded).</summary>
    public string? VideoContainer { get; set; }

    /// <summary>Name of the stored video blob (succeeded).</summary>
    public string? VideoBlob { get; set; }

    /// <summary>Length of the stored video in bytes (succeeded).</summary>
    public long? VideoLength { get; set; }

    /// <summary>Why the task ended without a video (failed, timed out): a stable code.</summary>
    public string? CompletionErrorCode { get; set; }

    /// <summary>Why the task ended without a video, for people.</summary>
    public string? CompletionErrorMessage { get; set; }

    /// <summary>The completion record owed to <c>video-completions</c> when its queue write failed; null once it is there.</summary>
    public string? CompletionRecordJson { get; set; }

    /// <summary>The stored video the entry records (succeeded), if any.</summary>
    [IgnoreDataMember]
    public CompletionVideo? StoredVideo => VideoBlob is { } blob
        ? new CompletionVideo(VideoContainer ?? StartFrameOptions.VideosContainer, blob, VideoLength ?? 0, CompletionVideo.Mp4)
        : null;

    /// <summary>Why the entry's task ended without a video (failed, timed out), if it did.</summary>
    [IgnoreDataMember]
    public CompletionError? CompletionError => CompletionErrorCode is { } code ? new CompletionError(code, CompletionErrorMessage ?? "") : null;

    private static (string?, string?, string?, string?) Parts(string? text)
    {
        var parts = LedgerText.Split(text, LedgerText.RecordParts);
        return (parts[0], parts[1], parts[2], parts[3]);
    }
}
