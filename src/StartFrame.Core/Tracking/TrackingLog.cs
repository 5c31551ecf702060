using Microsoft.Extensions.Logging;

namespace StartFrame.Core.Tracking;

/// <summary>
/// Every log line of the tracking stage, source-generated with stable event ids (11xx). Task ids, blob names and
/// statuses only: never a result URL (its query is a signature) and never a key.
/// </summary>
internal static partial class TrackingLog
{
    [LoggerMessage(1100, LogLevel.Information, "Polling task {TaskId} (poll {Poll}, delivery {Delivery}, {LateMs} ms after it was due)")]
    public static partial void Polling(ILogger logger, string taskId, int poll, long delivery, long lateMs);

    [LoggerMessage(1101, LogLevel.Information, "Task {TaskId} is {Generation} ({Progress}%); next poll at {NextPollAt:O}")]
    public static partial void Rescheduled(ILogger logger, string taskId, string generation, int? progress, DateTimeOffset nextPollAt);

    [LoggerMessage(1102, LogLevel.Warning, "Polling task {TaskId} failed (status {Status}, {Code}); polled again at {NextPollAt:O}")]
    public static partial void PollFailed(ILogger logger, string taskId, int status, string code, DateTimeOffset nextPollAt);

    [LoggerMessage(1103, LogLevel.Information, "Task {TaskId} succeeded; its video is {Container}/{Blob} ({Length} bytes, {Copy})")]
    public static partial void Stored(ILogger logger, string taskId, string container, string blob, long length, string copy);

    [LoggerMessage(1104, LogLevel.Warning, "Task {TaskId} ended {Status} ({Code}): {Message}")]
    public static partial void EndedWithoutVideo(ILogger logger, string taskId, string status, string code, string message);

    [LoggerMessage(1105, LogLevel.Warning, "Copying the video of task {TaskId} from {ResultUrl} failed ({Detail}); tried again at the next poll")]
    public static partial void CopyFailed(ILogger logger, string taskId, string resultUrl, string detail);

    [LoggerMessage(1106, LogLevel.Information, "Task {TaskId} was finished by an earlier delivery ({State}); nothing changed")]
    public static partial void AlreadyCompleted(ILogger logger, string taskId, string state);

    [LoggerMessage(1107, LogLevel.Information, "Task {TaskId} cannot be finished now ({Reason}); polled again at {NextPollAt:O}")]
    public static partial void Deferred(ILogger logger, string taskId, string reason, DateTimeOffset nextPollAt);

    [LoggerMessage(1108, LogLevel.Warning, "Could not queue the completion record of task {TaskId}; kept in the ledger for the next delivery")]
    public static partial void CompletionDeferred(ILogger logger, string taskId, Exception exception);

    [LoggerMessage(1109, LogLevel.Information, "Wrote the completion record owed for task {TaskId}")]
    public static partial void CompletionWritten(ILogger logger, string taskId);

    [LoggerMessage(1110, LogLevel.Error, "Tracking message dropped: {Problem}")]
    public static partial void Dropped(ILogger logger, string problem);

    [LoggerMessage(1111, LogLevel.Error, "ModelStream refused to report task {TaskId} (status {Status}, {Code}): check ModelStream__ApiKey; polled again at {NextPollAt:O}")]
    public static partial void PollRefused(ILogger logger, string taskId, int status, string code, DateTimeOffset nextPollAt);

    [LoggerMessage(1112, LogLevel.Warning, "Task {TaskId} ended but its provider slot could not be given back (status {Status}); its lease frees it")]
    public static partial void SlotNotGivenBack(ILogger logger, string taskId, int status);
}
