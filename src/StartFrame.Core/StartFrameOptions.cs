using System.ComponentModel.DataAnnotations;

namespace StartFrame.Core;

/// <summary>The pipeline's settings, bound from the <c>StartFrame</c> configuration section.</summary>
public sealed class StartFrameOptions
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

    /// <summary>Uploads to look at again once another run's claim on them has run out (<c>UploadRecheckDue</c>).</summary>
    public const string RechecksQueue = "upload-rechecks";

    /// <summary>The ledger table (Azure Table storage) that makes submission exactly-once.</summary>
    public const string LedgerTable = "startframeledger";

    /// <summary>Model used when a sidecar names none.</summary>
    [Required]
    public string DefaultModel { get; set; } = "viduq2-pro-fast";

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
    public Ledger.AmbiguousRetry AmbiguousRetry { get; set; } = Ledger.AmbiguousRetry.Never;

    /// <summary>How long a claim protects a submission in flight; a claim older than this was left by a crashed run.
    /// Must exceed the longest POST including its retries.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Deliveries ending in a transient failure (429/503/no connection) before the upload is recorded as failed (retryable).</summary>
    [Range(1, 100)]
    public int MaxSubmitAttempts { get; set; } = 5;

    /// <summary>Accept <c>http://</c> image URLs on the HTTP and queue paths (local development only; ModelStream needs a public https URL).</summary>
    public bool AllowHttpImageUrls { get; set; }
}
