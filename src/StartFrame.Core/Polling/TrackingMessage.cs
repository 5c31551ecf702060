namespace StartFrame.Core.Polling;

/// <summary>
/// One message of <c>video-tracking</c>: which task to poll, where its ledger entry is (a point read, never a query),
/// and how far its schedule has got. Written with the task record at submission, then once per poll that finds the
/// task unfinished, each time with a visibility delay so it comes back when the next poll is due.
/// </summary>
public sealed record TrackingMessage
{
    /// <summary>Version of this shape.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>ModelStream's task id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The ledger entry's partition key, as the ledger wrote it (opaque here).</summary>
    public required string LedgerPartitionKey { get; init; }

    /// <summary>The ledger entry's row key, as the ledger wrote it (opaque here).</summary>
    public required string LedgerRowKey { get; init; }

    /// <summary>When ModelStream accepted the task; the horizon counts from here.</summary>
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>The task was submitted with <c>off_peak: true</c> (result within 48 hours): it is polled less often.</summary>
    public bool OffPeak { get; init; }

    /// <summary>How many polls came before this one (0 for the first); the backoff doubles with it.</summary>
    public int Poll { get; init; }

    /// <summary>When this poll is due; a delivery knows from it how late it is.</summary>
    public required DateTimeOffset DueAt { get; init; }

    /// <summary>The submission's correlation id, carried into every log line and the completion record.</summary>
    public required string CorrelationId { get; init; }
    /// <summary>
    /// The W3C trace context (<c>traceparent</c>) of the trace this video's work belongs to, so later work and consumers
    /// join it; absent when nothing traced the submission. Added within schema version 1 (additive).
    /// </summary>
    public string? Traceparent { get; init; }

    /// <summary>
    /// The task's model, duration and resolution, under which tracking learns how long it took once it succeeds; absent
    /// for off-peak tasks (their time says nothing of a standard one's) and messages written before it existed.
    /// Added within schema version 1 (additive).
    /// </summary>
    public VideoShape? Shape { get; init; }

    /// <summary>
    /// How long tasks of this shape took when the task was submitted: its first poll was placed there, and the polls
    /// after it follow close behind (<see cref="PollSchedule"/>). Absent when nothing was known: the fixed schedule.
    /// Added within schema version 1 (additive).
    /// </summary>
    public TimeSpan? Expected { get; init; }

    /// <summary>When a poll last found the task unfinished: with the poll that finds it done, it brackets how long it
    /// took. Added within schema version 1 (additive).</summary>
    public DateTimeOffset? UnfinishedAt { get; init; }

    /// <summary>When a poll first found the task done, kept while its video is not stored yet (a copy that failed is
    /// tried again at a later poll): how long the task took was learned then, and is not learned again from a later,
    /// longer-looking delivery. Added within schema version 1 (additive).</summary>
    public DateTimeOffset? DoneAt { get; init; }
}
