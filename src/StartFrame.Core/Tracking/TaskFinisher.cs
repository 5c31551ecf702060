using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using StartFrame.Core.Ledger;
using StartFrame.Core.Polling;
using StartFrame.Core.Records;
using StartFrame.Core.Redaction;
using StartFrame.Core.Telemetry;

namespace StartFrame.Core.Tracking;

/// <summary>
/// The end of a task, exactly once: claim → copy → record → ledger. The ledger entry is read by its key (a point read);
/// a terminal state or an owed record settles a duplicate delivery without touching anything else; a claim (ETag-checked)
/// lets one run of any number of concurrent deliveries go on; the copy is conditional, so a run that died after
/// committing the video leaves the one blob the next run finds; the record is queued before the ledger says so.
/// </summary>
public sealed class TaskFinisher(
    TrackingLedger ledger,
    VideoCopier copier,
    CompletionWriter completions,
    BlobServiceClient blobs,
    PollSchedule schedule,
    StageSpans spans,
    TimeProvider timeProvider,
    ILogger<TaskFinisher> logger)
{
    private readonly BlobContainerClient _videos = blobs.GetBlobContainerClient(StartFrameOptions.VideosContainer);

    /// <summary>Finishes the task a poll found ended; <see cref="FinishAttempt.Retry"/> says why it must wait for the next poll.</summary>
    public async Task<FinishAttempt> FinishAsync(TrackingMessage message, TaskEnding ending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(ending);
        var entry = await ledger.FindTakeAsync(new LedgerKey(message.LedgerPartitionKey, message.LedgerRowKey), message.TaskId, cancellationToken).ConfigureAwait(false);
        if (entry is null || entry.TaskId != message.TaskId)
        {
            var problem = entry is null ? "its ledger entry does not exist" : $"its ledger entry belongs to task {entry.TaskId}";
            TrackingLog.Dropped(logger, $"task {message.TaskId}: {problem}");
            return FinishAttempt.Finished(Outcome(message, TrackingOutcomeStatus.Dropped, ending, null, null, $"Task {message.TaskId} was not finished: {problem}."));
        }

        if (!string.IsNullOrEmpty(entry.CompletionRecordJson))
        {
            return FinishAttempt.Finished(await WriteOwedAsync(message, entry, ending, cancellationToken).ConfigureAwait(false));
        }

        if (CompletionStatuses.IsTerminal(entry.TrackingState))
        {
            TrackingLog.AlreadyCompleted(logger, message.TaskId, entry.TrackingState!);
            return FinishAttempt.Finished(Outcome(message, TrackingOutcomeStatus.AlreadyCompleted, ending, entry.StoredVideo, entry.CompletionError, $"Already {entry.TrackingState}: nothing changed."));
        }

        if (entry.State is not (LedgerStates.Recorded or LedgerStates.Submitted))
        {
            return FinishAttempt.Later($"its submission is {entry.State}, not recorded yet");
        }

        if (ledger.IsClaimedByAnother(entry))
        {
            return FinishAttempt.Later("another run is finishing it");
        }

        // A claim that outlived its lease was left by a run that died: it may have committed the video already.
        var resumed = entry.TrackingState == CompletionStatuses.Finishing;
        if (!await ledger.TryClaimCompletionAsync(entry, Guid.NewGuid().ToString("N"), cancellationToken).ConfigureAwait(false))
        {
            return FinishAttempt.Later("another run took the completion claim first");
        }

        var context = SubmissionContext.Of(entry, message);
        var (status, video, error) = (ending.Status, (CompletionVideo?)null, ending.Error);
        if (ending.ResultUrl is { } resultUrl)
        {
            var destination = _videos.GetBlobClient(VideoNames.For(context.Source, message.TaskId));
            CopyResult copy;
            var copySpan = StageSpans.Start(SpanNames.Copy, System.Diagnostics.ActivityKind.Client);
            spans.Tag(copySpan, TagNames.TaskId, message.TaskId);
            spans.Tag(copySpan, TagNames.Blob, destination.Name);
            var copyStarted = timeProvider.GetTimestamp();
            try
            {
                copy = (resumed ? await VideoCopier.ExistingAsync(destination, cancellationToken).ConfigureAwait(false) : null)
                    ?? await copier.CopyAsync(resultUrl, destination, VideoNames.Metadata(message.TaskId, context.Source, context.CorrelationId), cancellationToken).ConfigureAwait(false);
                spans.Tag(copySpan, TagNames.Outcome, copy.Outcome.ToString());
                if (copy.Outcome == CopyOutcome.Copied)
                {
                    StartFrameMetrics.Copied(copy.Length, timeProvider.GetElapsedTime(copyStarted));
                }
                else if (copy.Code is not null)
                {
                    spans.Fail(copySpan, copy.Code);
                }
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                spans.Fail(copySpan, "copy_failed");
                // Whatever broke, the claim is not left "finishing" for a lease: the next poll tries again at once.
                await ledger.ReleaseCompletionAsync(entry, CancellationToken.None).ConfigureAwait(false);
                throw;
            }
            finally
            {
                copySpan?.Dispose();
            }

            switch (copy.Outcome)
            {
                case CopyOutcome.Transient when schedule.IsPastHorizon(message, timeProvider.GetUtcNow()):
                    // The horizon ends every task with one record: a copy still failing there is given up, saying why.
                    TrackingLog.CopyFailed(logger, message.TaskId, Redactor.Url(resultUrl), copy.Detail);
                    status = CompletionStatuses.Failed;
                    error = new CompletionError(CompletionErrorCodes.VideoCopyFailed, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"ModelStream finished the task, but its video could not be copied before tracking stopped, {schedule.Horizon} after submission (StartFrame__TrackingHorizon); the last try: {copy.Detail}."));
                    break;
                case CopyOutcome.Refused:
                    status = CompletionStatuses.Failed;
                    error = new CompletionError(copy.Code ?? CompletionErrorCodes.ResultUrlRefused, $"The video was not copied: {copy.Detail}.");
                    break;
                case CopyOutcome.Transient:
                    TrackingLog.CopyFailed(logger, message.TaskId, Redactor.Url(resultUrl), copy.Detail);
                    await ledger.ReleaseCompletionAsync(entry, cancellationToken).ConfigureAwait(false);
                    return FinishAttempt.Later("the copy failed: " + copy.Detail);
                case CopyOutcome.Expired:
                    status = CompletionStatuses.Failed;
                    error = new CompletionError(CompletionErrorCodes.ResultUrlExpired,
                        $"The result URL was refused ({copy.Status}) when the video was copied: it expired (ModelStream's result URLs are valid about 24 hours) or was revoked, so the video cannot be fetched any more.");
                    break;
                default:
                    video = new CompletionVideo(StartFrameOptions.VideosContainer, destination.Name, copy.Length, CompletionVideo.Mp4);
                    TrackingLog.Stored(logger, message.TaskId, video.Container, video.Blob, video.Length, copy.Outcome == CopyOutcome.Copied ? "copied" : "already in storage");
                    break;
            }
        }

        var record = new CompletionRecord
        {
            TaskId = message.TaskId,
            Status = status,
            Video = video,
            Error = error,
            Source = context.Source,
            Sidecar = context.Sidecar,
            SubmittedAt = context.SubmittedAt,
            CompletedAt = timeProvider.GetUtcNow(),
            CorrelationId = context.CorrelationId,
            Traceparent = message.Traceparent ?? context.Traceparent ?? TraceParent.Current(),
        };
        if (error is not null)
        {
            TrackingLog.EndedWithoutVideo(logger, message.TaskId, status, error.Code, error.Message);
        }

        using (var span = StageSpans.Start(SpanNames.Complete))
        {
            spans.Tag(span, TagNames.TaskId, record.TaskId);
            spans.Tag(span, TagNames.Outcome, record.Status);
            spans.Tag(span, TagNames.ErrorCode, record.Error?.Code);
            await RecordThenSaveAsync(entry, record, cancellationToken).ConfigureAwait(false);
        }

        if (video is not null)
        {
            StartFrameMetrics.VideoStored(record.CompletedAt - record.SubmittedAt);
        }

        return FinishAttempt.Finished(Outcome(message, record.Status, ending, video, error, null));
    }

    private async Task RecordThenSaveAsync(LedgerEntry entry, CompletionRecord record, CancellationToken cancellationToken)
    {
        var json = CompletionWriter.Serialize(record);
        try
        {
            await completions.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or IOException)
        {
            // Keep the record in the ledger so the next delivery writes it: late, maybe twice, never lost.
            TrackingLog.CompletionDeferred(logger, record.TaskId, ex);
            StartFrameMetrics.RecordOwed(StartFrameOptions.CompletionsQueue);
            await ledger.RecordCompletionAsync(entry, record, json, cancellationToken).ConfigureAwait(false);
            throw;
        }

        await ledger.RecordCompletionAsync(entry, record, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TrackingOutcome> WriteOwedAsync(TrackingMessage message, LedgerEntry entry, TaskEnding ending, CancellationToken cancellationToken)
    {
        await completions.WriteAsync(entry.CompletionRecordJson!, cancellationToken).ConfigureAwait(false);
        await ledger.SettleOwedCompletionAsync(entry, cancellationToken).ConfigureAwait(false);
        TrackingLog.CompletionWritten(logger, message.TaskId);
        return Outcome(message, TrackingOutcomeStatus.RecordWritten, ending, entry.StoredVideo, entry.CompletionError, $"The completion record owed ({entry.TrackingState}) is written.");
    }

    private static TrackingOutcome Outcome(TrackingMessage message, string status, TaskEnding ending, CompletionVideo? video, CompletionError? error, string? detail) => new()
    {
        Status = status,
        TaskId = message.TaskId,
        Generation = ending.Generation,
        Progress = ending.Progress,
        Video = video,
        Error = error,
        Detail = detail,
        CorrelationId = message.CorrelationId,
    };

    /// <summary>What the completion record repeats of the submission, from the task record the ledger kept.</summary>
    private sealed record SubmissionContext(RecordSource Source, string? Sidecar, DateTimeOffset SubmittedAt, string CorrelationId, string? Traceparent)
    {
        public static SubmissionContext Of(LedgerEntry entry, TrackingMessage message)
        {
            var record = RecordJson.ReadTaskRecord(entry.TaskRecordJson);
            return new SubmissionContext(
                record?.Source ?? new RecordSource { Container = entry.Container, Blob = entry.Blob, Url = entry.ImageUrl },
                record?.Sidecar,
                record?.SubmittedAt ?? entry.SubmittedAt ?? message.SubmittedAt,
                record?.CorrelationId ?? message.CorrelationId,
                record?.Traceparent);
        }
    }
}

/// <summary>Whether a finish is done (with its outcome) or must wait for the next poll (with the reason).</summary>
public sealed record FinishAttempt(TrackingOutcome? Done, string? Retry)
{
    /// <summary>Done: nothing more to do for this task.</summary>
    public static FinishAttempt Finished(TrackingOutcome outcome) => new(outcome, null);

    /// <summary>Not now: the tracker queues the next poll.</summary>
    public static FinishAttempt Later(string reason) => new(null, reason);
}
