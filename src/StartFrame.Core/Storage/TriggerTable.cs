namespace StartFrame.Core.Storage;

/// <summary>How a function of the app is triggered.</summary>
public enum TriggerKind
{
    /// <summary>A blob trigger (Event Grid source) on a container.</summary>
    Blob,

    /// <summary>A queue trigger.</summary>
    Queue,

    /// <summary>A timer.</summary>
    Timer,

    /// <summary>An HTTP route.</summary>
    Http,
}

/// <summary>How an operator brings back what a trigger gave up on.</summary>
public enum RedriveKind
{
    /// <summary>Nothing to bring back: the caller sees the answer (HTTP), or the next run does the work again (timer).</summary>
    None,

    /// <summary><c>startframe redrive &lt;blob&gt;</c> for a poisoned blob, <c>redrive --dead-letter</c> for an event Event Grid gave up on.</summary>
    Blob,

    /// <summary><c>startframe redrive --poison &lt;queue&gt;-poison</c>: the poisoned messages go back onto the trigger's queue as they were.</summary>
    PoisonQueue,
}

/// <summary>One function of the app and what it listens to.</summary>
/// <param name="Function">The <c>[Function]</c> name.</param>
/// <param name="Kind">Its trigger.</param>
/// <param name="Source">The container (blob), queue (queue), schedule (timer) or route (HTTP) it listens on.</param>
/// <param name="PoisonQueue">Where the Functions host puts what it gave up on (created by the host when first needed); null when nothing is.</param>
/// <param name="Redrive">How an operator brings that back.</param>
public sealed record Trigger(string Function, TriggerKind Kind, string Source, string? PoisonQueue, RedriveKind Redrive);

/// <summary>
/// Every function of the app, its trigger, its poison queue and its redrive, in one list: the function attributes keep
/// their constants (a test holds them to this table), and the in-process host, the CLI's poison redrive, the storage
/// provisioner and the infra tests read it here.
/// </summary>
public static class TriggerTable
{
    /// <summary>What the Functions host appends to a queue trigger's queue name for its poison queue.</summary>
    public const string PoisonSuffix = "-poison";

    /// <summary>The one poison queue of every blob trigger of a host (the blob extension's).</summary>
    public const string BlobTriggerPoisonQueue = "webjobs-blobtrigger-poison";

    /// <summary>The owed-records sweep's schedule (NCRONTAB, every 5 minutes).</summary>
    public const string OwedRecordsSchedule = "0 */5 * * * *";

    /// <summary>The functions, in the order data flows through them.</summary>
    public static IReadOnlyList<Trigger> All { get; } =
    [
        new("StartFrameUploaded", TriggerKind.Blob, StartFrameOptions.UploadsContainer, BlobTriggerPoisonQueue, RedriveKind.Blob),
        new("SubmitVideo", TriggerKind.Http, "POST videos", null, RedriveKind.None),
        new("SubmissionQueued", TriggerKind.Queue, StartFrameOptions.SubmissionsQueue, StartFrameOptions.SubmissionsQueue + PoisonSuffix, RedriveKind.PoisonQueue),
        new("UploadRecheckDue", TriggerKind.Queue, StartFrameOptions.RechecksQueue, StartFrameOptions.RechecksQueue + PoisonSuffix, RedriveKind.PoisonQueue),
        new("VideoTrackingDue", TriggerKind.Queue, StartFrameOptions.TrackingQueue, StartFrameOptions.TrackingQueue + PoisonSuffix, RedriveKind.PoisonQueue),
        new("GetVideo", TriggerKind.Http, "GET videos/{taskId}", null, RedriveKind.None),
        new("OwedRecordsDue", TriggerKind.Timer, OwedRecordsSchedule, null, RedriveKind.None),
    ];

    /// <summary>The queue triggers, whose poison queues <c>redrive --poison</c> moves back.</summary>
    public static IReadOnlyList<Trigger> QueueTriggers { get; } = [.. All.Where(t => t.Kind == TriggerKind.Queue)];

    /// <summary>The queue trigger whose poison queue is <paramref name="poisonQueue"/>, or null.</summary>
    public static Trigger? ByPoisonQueue(string poisonQueue) =>
        QueueTriggers.FirstOrDefault(t => string.Equals(t.PoisonQueue, poisonQueue, StringComparison.Ordinal));
}
