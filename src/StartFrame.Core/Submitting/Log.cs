using Microsoft.Extensions.Logging;

namespace StartFrame.Core.Submitting;

/// <summary>
/// Every log line of the pipeline, source-generated with stable event ids so alerts and queries survive
/// refactoring. Blob names and task ids only: never a key, never a SAS query.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Processing {Container}/{Blob}")]
    public static partial void Processing(ILogger logger, string container, string blob);

    [LoggerMessage(1001, LogLevel.Information, "Submitted {Container}/{Blob} as task {TaskId} with model {Model}")]
    public static partial void Submitted(ILogger logger, string container, string blob, string taskId, string model);

    [LoggerMessage(1002, LogLevel.Information, "Image {Container}/{Blob} waits for its sidecar {Sidecar}")]
    public static partial void Waiting(ILogger logger, string container, string blob, string sidecar);

    [LoggerMessage(1003, LogLevel.Information, "Nothing sent for {Subject}: {Outcome}")]
    public static partial void NothingToDo(ILogger logger, string subject, string outcome);

    [LoggerMessage(1004, LogLevel.Warning, "Refused {Subject} at {Stage}: {ErrorCount} error(s), first {Field} {Code}")]
    public static partial void Rejected(ILogger logger, string subject, string stage, int errorCount, string field, string code);

    [LoggerMessage(1005, LogLevel.Warning, "ModelStream unavailable for {Subject} (attempt {Attempt} of {MaxAttempts}, status {Status}); the delivery will be retried")]
    public static partial void Transient(ILogger logger, string subject, int attempt, int maxAttempts, int status);

    [LoggerMessage(1006, LogLevel.Error, "Outcome of {Subject} is unknown (status {Status}, {Code}); not re-sent automatically, recorded as ambiguous")]
    public static partial void Ambiguous(ILogger logger, string subject, int status, string code);

    [LoggerMessage(1007, LogLevel.Error, "ModelStream refused {Subject} for good (status {Status}, {Code})")]
    public static partial void Permanent(ILogger logger, string subject, int status, string code);

    [LoggerMessage(1008, LogLevel.Warning, "Could not queue the record of {Subject}; kept in the ledger for the next delivery")]
    public static partial void RecordDeferred(ILogger logger, string subject, Exception exception);

    [LoggerMessage(1009, LogLevel.Information, "Wrote the record owed for {Subject} to {Queue}")]
    public static partial void RecordWritten(ILogger logger, string subject, string queue);

    [LoggerMessage(1010, LogLevel.Error, "ModelStream stayed unavailable for {Subject} through {Attempts} deliveries; recorded as failed (retryable)")]
    public static partial void GaveUp(ILogger logger, string subject, int attempts);

    [LoggerMessage(1011, LogLevel.Information, "Sidecar {Container}/{Blob} arrived; processing {Count} image(s) that share its name")]
    public static partial void SidecarArrived(ILogger logger, string container, string blob, int count);

    [LoggerMessage(1014, LogLevel.Error, "The debt of {Subject} could not be noted for the sweep; only a redelivery will write its record")]
    public static partial void OwedNotNoted(ILogger logger, string subject, Exception exception);

    [LoggerMessage(1020, LogLevel.Debug, "{Subject} is being submitted by another run (claimed at {ClaimedAt:u}); watching its claim for up to {Seconds} s")]
    public static partial void WatchingLiveClaim(ILogger logger, string subject, DateTimeOffset? claimedAt, double seconds);

    [LoggerMessage(1021, LogLevel.Information, "{Subject} was settled by another run while this one watched: {Outcome}")]
    public static partial void LiveClaimSettled(ILogger logger, string subject, string outcome);

    [LoggerMessage(1022, LogLevel.Information, "{Subject} waits for a ModelStream slot ({Code}); it looks again in {Seconds} s")]
    public static partial void WaitingForSlot(ILogger logger, string subject, string code, double seconds);

    [LoggerMessage(1023, LogLevel.Warning, "Provider slot {Slot} could not be updated; its lease frees it")]
    public static partial void SlotNotGivenBack(ILogger logger, string slot, Exception exception);
}
