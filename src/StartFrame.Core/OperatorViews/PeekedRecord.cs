using System.Text.Json.Nodes;
using StartFrame.Core.Records;

namespace StartFrame.Core.OperatorViews;

/// <summary>
/// One message of a records queue as a peek saw it, with the record it carries: inline, or read from the blob of
/// <c>video-records</c> its pointer names. <see cref="Problem"/> says why there is no record (a message that is not
/// base64 or not JSON, a pointer whose blob is gone or does not match its SHA-256); the message is reported all the same.
/// </summary>
public sealed record PeekedRecord
{
    /// <summary>The queue.</summary>
    public required string Queue { get; init; }

    /// <summary>The message id (stable while the message stays on the queue).</summary>
    public required string MessageId { get; init; }

    /// <summary>When the message was queued.</summary>
    public DateTimeOffset? InsertedOn { get; init; }

    /// <summary>How often a consumer received it (a consumer that keeps failing shows here).</summary>
    public long DequeueCount { get; init; }

    /// <summary><c>inline</c> (the message is the record) or <c>pointer</c> (the record is a blob of <c>video-records</c>).</summary>
    public required string Form { get; init; }

    /// <summary>Where the record is, for the pointer form.</summary>
    public RecordBlobReference? RecordBlob { get; init; }

    /// <summary>The record, as it was written.</summary>
    public JsonObject? Record { get; init; }

    /// <summary>Why there is no record, or null.</summary>
    public string? Problem { get; init; }

    /// <summary>The record's <c>taskId</c>, when it has one.</summary>
    public string? TaskId => Record?["taskId"] is JsonValue value && value.TryGetValue<string>(out var id) ? id : null;
}

/// <summary>What one peek of a records queue saw.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="Records">The first <see cref="RecordPeeker.PeekLimit"/> visible messages at most, oldest first.</param>
/// <param name="ApproximateCount">The queue's approximate message count (invisible ones included), or null when it has none yet.</param>
public sealed record RecordPeek(string Queue, IReadOnlyList<PeekedRecord> Records, int? ApproximateCount)
{
    /// <summary>True when the queue may hold messages this peek could not see (a peek returns at most 32, the first ones).</summary>
    public bool MayHoldMore => Records.Count >= RecordPeeker.PeekLimit || (ApproximateCount ?? 0) > Records.Count;
}
