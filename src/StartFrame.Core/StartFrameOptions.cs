using System.ComponentModel.DataAnnotations;

namespace StartFrame.Core;

/// <summary>The pipeline's settings, bound from the <c>StartFrame</c> configuration section.</summary>
public sealed class StartFrameOptions : IValidatableObject
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "StartFrame";

    /// <summary>The connection (setting name) of the storage account: a connection string for Azurite, or
    /// <c>__blobServiceUri</c>/<c>__queueServiceUri</c>/<c>__tableServiceUri</c> (+ <c>__clientId</c>) for a managed identity.</summary>
    public const string StorageConnectionName = "AzureWebJobsStorage";

    /// <summary>The uploads container; the blob trigger's path names it too.</summary>
    public const string UploadsContainer = "start-frames";

    /// <summary>Where Event Grid writes the BlobCreated events it could not deliver (<c>startframe redrive --dead-letter</c> reads them).</summary>
    public const string DeadLetterContainer = "start-frames-deadletter";

    /// <summary>Records too large for a queue message (their queue gets a pointer to the blob).</summary>
    public const string RecordsContainer = "video-records";

    /// <summary>Queue of task records for downstream consumers.</summary>
    public const string TasksQueue = "video-tasks";

    /// <summary>Queue of failure records.</summary>
    public const string FailuresQueue = "video-task-failures";

    /// <summary>Queue other pipelines feed with submissions.</summary>
    public const string SubmissionsQueue = "video-submissions";

    /// <summary>Uploads to look at again (<c>UploadRecheckDue</c>): once another run's claim on them has run out, or, under
    /// admission control, once a provider slot may be free.</summary>
    public const string RechecksQueue = "upload-rechecks";

    /// <summary>Queue of tracking messages: each delivery polls one task once (they come back after a visibility delay).</summary>
    public const string TrackingQueue = "video-tracking";

    /// <summary>Queue of completion records: one per task, when its video is in storage or it ended without one.</summary>
    public const string CompletionsQueue = "video-completions";

    /// <summary>The container finished videos are copied into (<c>videos/a/b/cat/&lt;taskId&gt;.mp4</c>).</summary>
    public const string VideosContainer = "videos";

    /// <summary>The ledger table (Azure Table storage) that makes submission exactly-once.</summary>
    public const string LedgerTable = "startframeledger";

    /// <summary>The table of ledger entries that owe a record after a queue outage, which the sweep settles (OwedRecordsDue).</summary>
    public const string OwedRecordsTable = "startframeowed";

    /// <summary>The table of generation times learned per model, duration and resolution, where a task's first poll is
    /// placed (an estimate: losing it costs only the schedule of today).</summary>
    public const string GenerationTimesTable = "startframegentimes";

    /// <summary>The provider slots of admission control: one row per task ModelStream may have unfinished at once.</summary>
    public const string ProviderSlotsTable = "startframeslots";

    /// <summary>Model used when a sidecar names none; unset or empty for the catalog's <c>defaultModel</c>.</summary>
    public string? DefaultModel { get; set; }

    /// <summary>Reject sidecars naming a model that is not in the catalog, instead of passing their fields through unchecked.</summary>
    public bool StrictModels { get; set; }

    /// <summary>A catalog file that adds models to the embedded catalog or replaces some of them; <see langword="null"/> for none.</summary>
    public string? CatalogPath { get; set; }

    /// <summary>How long the read-only SAS URL handed to ModelStream stays valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SasLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>When true (default) an image waits for its sidecar; when false it is submitted with the catalog's defaults.</summary>
    public bool SidecarRequired { get; set; } = true;

    /// <summary>What to do when a POST's outcome is unknown: <c>Never</c> (default) re-send it, or <c>Resubmit</c>.</summary>
    public AmbiguousRetry AmbiguousRetry { get; set; } = AmbiguousRetry.Never;

    /// <summary>How long a claim protects a submission in flight; a claim older than this was left by a crashed run.
    /// Must exceed the longest POST including its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a blob delivery that meets another run's fresh claim watches it settle before queueing a re-check
    /// for the lease's end. An image and its sidecar land together, so their two events usually race for one claim, and
    /// the other's POST takes a second or two; 0 goes straight to the re-check.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan LiveClaimWait { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Deliveries ending in a transient failure (429/503/no connection) before the upload is recorded as failed (retryable).</summary>
    [Range(1, 100)]
    public int MaxSubmitAttempts { get; set; } = 5;

    /// <summary>The share of new traces kept (0 to 1), decided once at a video's root; its later spans follow that decision
    /// (parent-based), so a trace is kept or dropped whole. A failed span is exported whatever the decision.</summary>
    [Range(0.0, 1.0)]
    public double TraceSampleRatio { get; set; } = 1.0;

    /// <summary>How long an upload that finds every provider slot taken waits before it looks again (a random share of
    /// it is added, so a folder of waiting uploads does not wake at one instant). Waiting is a delayed queue message. A
    /// slot given back wakes the front of the line at once, so this is the safety net for a lost wake: a minute keeps a
    /// long line's looks (about ten storage calls each) few.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SlotRecheckDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an upload may wait for a provider slot in all before it is recorded as failed (retryable,
    /// <c>no_provider_slot</c>). Only time gives up on a waiting upload: a 429 is not an attempt.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SlotWaitLimit { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a provider slot counts for a submitted task that tracking never gives back (its poll messages
    /// were lost or poisoned). Tracking gives it back when it sees the task end; a task still running past this may
    /// meet a 429 for the next upload, which only waits again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3.00:00:00")]
    public TimeSpan SlotTaskLease { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Accept <c>http://</c> image URLs on the HTTP and queue paths (local development only; ModelStream needs a public https URL).</summary>
    public bool AllowHttpImageUrls { get; set; }

    /// <summary>How long after submission a task is first polled; each later poll waits twice as long as the one before.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollFirstDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two polls of a task (the doubling stops here).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan PollMaxDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest wait between two polls of an <c>off_peak</c> task, whose result may take up to 48 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "06:00:00")]
    public TimeSpan OffPeakPollMaxDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Poll a task first when tasks of its model, duration and resolution have been seen to finish, learned from
    /// the ones tracking saw end (not off-peak ones); false keeps the fixed schedule for every task.</summary>
    public bool PollAtExpectedTime { get; set; } = true;

    /// <summary>After a poll at the expected time finds the task unfinished, the next poll waits this fraction of the
    /// expected time (at least <see cref="PollNearMinDelay"/>), each later one twice as long up to <see cref="PollMaxDelay"/>.</summary>
    [Range(0.01, 0.5)]
    public double PollNearFraction { get; set; } = 0.1;

    /// <summary>The shortest wait after a poll at the expected time found the task unfinished (never over
    /// <see cref="PollMaxDelay"/>, which caps every wait).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PollNearMinDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long after submission a task that has not finished is given up on with a <c>timed_out</c> completion
    /// record. The default, 72 hours, covers <c>off_peak</c> tasks (up to 48 hours) with a day to spare.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "6.00:00:00")]
    public TimeSpan TrackingHorizon { get; set; } = TimeSpan.FromHours(72);

    /// <summary>The largest result video copied, in bytes; a larger one ends its task failed (<c>video_too_large</c>),
    /// and no more than this is ever read from a result URL.</summary>
    [Range(typeof(long), "1024", "68719476736")]
    public long VideoMaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>How long one read of a result video may wait for a byte before the copy is given up and retried at the next poll.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan VideoReadIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one copy of a result video may take in all (headers, body, upload) before it is given up and
    /// retried at the next poll; under the host's 10-minute function timeout, so the run can still say so.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan VideoCopyDeadline { get; set; } = TimeSpan.FromMinutes(8);

    /// <summary>Fetch result URLs (and their redirects) over http and from loopback addresses: the simulator's. Local
    /// development and tests only; otherwise only https to public addresses is fetched.</summary>
    public bool AllowLoopbackResultUrls { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PollMaxDelay < PollFirstDelay)
        {
            yield return new ValidationResult(
                $"StartFrame__PollMaxDelay ({PollMaxDelay}) must not be shorter than StartFrame__PollFirstDelay ({PollFirstDelay}).", [nameof(PollMaxDelay)]);
        }

        if (OffPeakPollMaxDelay < PollFirstDelay)
        {
            yield return new ValidationResult(
                $"StartFrame__OffPeakPollMaxDelay ({OffPeakPollMaxDelay}) must not be shorter than StartFrame__PollFirstDelay ({PollFirstDelay}).", [nameof(OffPeakPollMaxDelay)]);
        }
    }
}
