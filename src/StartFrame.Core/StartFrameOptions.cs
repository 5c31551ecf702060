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

    /// <summary>Queue of task records for downstream consumers.</summary>
    public const string TasksQueue = "video-tasks";

    /// <summary>Queue of failure records.</summary>
    public const string FailuresQueue = "video-task-failures";

    /// <summary>Queue other pipelines feed with submissions.</summary>
    public const string SubmissionsQueue = "video-submissions";

    /// <summary>Model used when a sidecar names none.</summary>
    [Required]
    public string DefaultModel { get; set; } = "viduq2-pro-fast";

    /// <summary>How long the read-only SAS URL handed to ModelStream stays valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan SasLifetime { get; set; } = TimeSpan.FromHours(2);
}
