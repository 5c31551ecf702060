using System.Text.Json.Serialization;
using StartFrame.Core.WaysIn;

namespace StartFrame.Core.Redrives;

/// <summary>What a redrive did with one dead-lettered event: one line (or JSON object) per event in the CLI.</summary>
public sealed record DeadLetterRedriveResult
{
    /// <summary>The dead-letter blob the event came from.</summary>
    public required string DeadLetterBlob { get; init; }

    /// <summary>A <see cref="OutcomeStatus"/> when the blob was processed, else one of <see cref="DeadLetterStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>The uploaded blob the event names (<c>container/name</c>), when it names one.</summary>
    public string? Blob { get; init; }

    /// <summary>The Event Grid event id (also the correlation id of the processing).</summary>
    public string? EventId { get; init; }

    /// <summary>Why Event Grid gave up.</summary>
    public string? DeadLetterReason { get; init; }

    /// <summary>Deliveries Event Grid tried.</summary>
    public int? DeliveryAttempts { get; init; }

    /// <summary>The last delivery's outcome.</summary>
    public string? LastDeliveryOutcome { get; init; }

    /// <summary>The last delivery's HTTP status.</summary>
    public int? LastHttpStatusCode { get; init; }

    /// <summary>When the event was published.</summary>
    public DateTimeOffset? PublishTime { get; init; }

    /// <summary>ModelStream's task id, when there is one.</summary>
    public string? TaskId { get; init; }

    /// <summary>A sentence for people: what happened and what to do next.</summary>
    public string? Detail { get; init; }

    /// <summary>The pipeline's outcome, when the blob was processed.</summary>
    public ProcessingOutcome? Outcome { get; init; }

    /// <summary>Needs a person or a retry: the event is not handled yet.</summary>
    [JsonIgnore]
    public bool IsFailure => Outcome?.IsFailure ?? Status is DeadLetterStatus.TransientFailure or DeadLetterStatus.Unreadable or DeadLetterStatus.Failed;

    /// <summary>Refused as input (wrong container, or the upload itself was refused).</summary>
    [JsonIgnore]
    public bool IsRejected => Outcome?.IsRejected ?? Status is DeadLetterStatus.Refused;
}

/// <summary>Statuses of a dead-lettered event that was not (or not yet) run through the pipeline.</summary>
public static class DeadLetterStatus
{
    /// <summary>Dry run: it would be processed.</summary>
    public const string WouldProcess = "would_process";

    /// <summary>It names a container other than the uploads container: not processed.</summary>
    public const string Refused = "refused";

    /// <summary>Not a BlobCreated event of a blob (nothing to process).</summary>
    public const string Skipped = "skipped";

    /// <summary>The dead-letter blob could not be read as Event Grid's format.</summary>
    public const string Unreadable = "unreadable";

    /// <summary>ModelStream stayed unavailable: run the redrive again later (the ledger keeps it idempotent).</summary>
    public const string TransientFailure = "transient_failure";

    /// <summary>Processing the event failed unexpectedly; it is reported and the others still run.</summary>
    public const string Failed = "failed";
}
