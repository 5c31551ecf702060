using Microsoft.Extensions.Logging;
using ModelStream.Client;
using StartFrame.Core.Admission;
using StartFrame.Core.Polling;
using StartFrame.Core.Records;
using StartFrame.Core.Telemetry;

namespace StartFrame.Core.Tracking;

/// <summary>
/// One tracking delivery, in the order data flows: due → poll → (unfinished: queue the next poll) or (finished: copy →
/// record, in <see cref="TaskFinisher"/>). It never waits: the next poll is a message that comes back after a
/// visibility delay. Unfinished polls touch no storage but the queue; the ledger is read only once the task has ended.
/// </summary>
public sealed class VideoTracker(
    ModelStreamClient modelStream,
    PollSchedule schedule,
    TrackingQueueClient queue,
    TaskFinisher finisher,
    GenerationTimes generationTimes,
    ProviderSlots slots,
    LineWaker waker,
    StageSpans spans,
    TimeProvider timeProvider,
    ILogger<VideoTracker> logger) : IVideoTracker
{
    /// <inheritdoc />
    public async Task<TrackingOutcome> TrackAsync(string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        var message = TrackingQueueClient.TryParse(messageText, out var problem);
        if (message is null)
        {
            TrackingLog.Dropped(logger, "not a tracking message: " + problem);
            return new TrackingOutcome { Status = TrackingOutcomeStatus.Dropped, TaskId = "", Detail = "Not a tracking message: " + problem, CorrelationId = "" };
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = message.CorrelationId, ["TaskId"] = message.TaskId });

        // A new delivery, maybe hours after the POST: its span joins the video's trace through the stored traceparent.
        using var span = StageSpans.StartWithParent(SpanNames.Poll, message.Traceparent, System.Diagnostics.ActivityKind.Consumer);
        spans.Tag(span, TagNames.TaskId, message.TaskId);
        spans.Tag(span, TagNames.CorrelationId, message.CorrelationId);
        StageSpans.Tag(span, TagNames.PollNumber, message.Poll);
        var outcome = await PollAsync(message, dequeueCount, cancellationToken).ConfigureAwait(false);
        spans.Tag(span, TagNames.Outcome, outcome.Status);
        StartFrameMetrics.Poll(outcome.Status);
        return outcome;
    }

    private async Task<TrackingOutcome> PollAsync(TrackingMessage message, long dequeueCount, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        TrackingLog.Polling(logger, message.TaskId, message.Poll, dequeueCount, (long)Math.Max(0, (now - message.DueAt).TotalMilliseconds));

        VideoTaskStatus status;
        try
        {
            status = await modelStream.GetTaskAsync(message.TaskId, cancellationToken).ConfigureAwait(false);
        }
        catch (ModelStreamException ex) when (IsUnknownTask(ex))
        {
            return await FinishAsync(message, TaskEnding.Failed(CompletionErrorCodes.TaskNotExist, $"ModelStream does not know task {message.TaskId} ({ex.Status} {ex.ErrorCode ?? "not found"})."), cancellationToken).ConfigureAwait(false);
        }
        catch (ModelStreamException ex)
        {
            // A poll never charges: any failure is only a reason to look again later (a refused key is fixed by an operator).
            if (schedule.IsPastHorizon(message, now))
            {
                return await FinishAsync(message, TaskEnding.TimedOut(HorizonMessage($"the last poll failed ({ex.Status} {ex.ErrorCode})"), null, null), cancellationToken).ConfigureAwait(false);
            }

            var next = await RescheduleAsync(message, now, ex.RetryAfter, cancellationToken).ConfigureAwait(false);
            var code = ex.ErrorCode ?? ex.Kind.ToString();
            if (ex.Kind == ModelStreamFailureKind.Permanent)
            {
                TrackingLog.PollRefused(logger, message.TaskId, ex.Status, code, next.DueAt);
            }
            else
            {
                TrackingLog.PollFailed(logger, message.TaskId, ex.Status, code, next.DueAt);
            }

            return Rescheduled(message, next, null, null, $"The poll failed ({ex.Status} {code}); it is tried again later.");
        }

        var ending = status switch
        {
            { Status: VideoTaskStatus.Completed, ResultUrl: { } url } => TaskEnding.Succeeded(url, status.Progress),
            { Status: VideoTaskStatus.Failed } => TaskEnding.Failed(
                CompletionErrorCodes.GenerationFailed,
                string.IsNullOrWhiteSpace(status.FailReason) ? "ModelStream reported the generation failed and gave no reason." : status.FailReason,
                status.Status,
                status.Progress),
            _ when schedule.IsPastHorizon(message, now) => TaskEnding.TimedOut(HorizonMessage($"it was {Describe(status)}"), status.Status, status.Progress),
            _ => null, // queued, in progress, unknown, or completed without a URL yet: look again later
        };
        if (ending is not null)
        {
            if (ending.Status == CompletionStatuses.Succeeded && message.DoneAt is null)
            {
                // Done, first seen now: how long it took places the first poll of the next task of its shape, learned
                // before its slot is given back, so the upload that slot wakes is placed by it too. Never throws.
                await generationTimes.ObserveAsync(message, now).ConfigureAwait(false);
            }

            return await FinishAsync(message with { DoneAt = message.DoneAt ?? now }, ending, cancellationToken).ConfigureAwait(false);
        }

        // Seen unfinished now: with the poll that finds it done, this brackets how long it took.
        var scheduled = await RescheduleAsync(message with { UnfinishedAt = now }, now, null, cancellationToken).ConfigureAwait(false);
        TrackingLog.Rescheduled(logger, message.TaskId, status.Status, status.Progress, scheduled.DueAt);
        return Rescheduled(message, scheduled, status.Status, status.Progress, $"ModelStream says {Describe(status)}.");
    }

    private async Task<TrackingOutcome> FinishAsync(TrackingMessage message, TaskEnding ending, CancellationToken cancellationToken)
    {
        // The task no longer counts against the account's limit: its provider slot is free for the next upload at once,
        // before the copy (which may take minutes). Idempotent, so a later delivery of the same end changes nothing.
        await GiveBackSlotAsync(message.TaskId, cancellationToken).ConfigureAwait(false);
        var attempt = await finisher.FinishAsync(message, ending, cancellationToken).ConfigureAwait(false);
        if (attempt.Done is { } done)
        {
            return done;
        }

        var next = await RescheduleAsync(message, timeProvider.GetUtcNow(), null, cancellationToken).ConfigureAwait(false);
        TrackingLog.Deferred(logger, message.TaskId, attempt.Retry!, next.DueAt);
        return Rescheduled(message, next, ending.Generation, ending.Progress, $"Not finished now ({attempt.Retry}); tried again at the next poll.");
    }

    private async Task GiveBackSlotAsync(string taskId, CancellationToken cancellationToken)
    {
        bool givenBack;
        try
        {
            givenBack = await slots.GiveBackTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
        }
        catch (Azure.RequestFailedException ex)
        {
            // The video matters more than the slot: its lease (StartFrame__SlotTaskLease) frees it.
            TrackingLog.SlotNotGivenBack(logger, taskId, ex.Status);
            return;
        }

        if (givenBack)
        {
            // The upload at the front of the line takes it now rather than at its next timed look. Never throws.
            await waker.WakeAsync(1, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TrackingMessage> RescheduleAsync(TrackingMessage message, DateTimeOffset now, TimeSpan? atLeast, CancellationToken cancellationToken)
    {
        var next = schedule.Next(message, now, atLeast);
        await queue.ScheduleAsync(next, cancellationToken).ConfigureAwait(false);
        return next;
    }

    private static TrackingOutcome Rescheduled(TrackingMessage message, TrackingMessage next, string? generation, int? progress, string detail) => new()
    {
        Status = TrackingOutcomeStatus.Rescheduled,
        TaskId = message.TaskId,
        Generation = generation,
        Progress = progress,
        NextPollAt = next.DueAt,
        Detail = detail,
        CorrelationId = message.CorrelationId,
    };

    private string HorizonMessage(string last) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"ModelStream had not finished the task when tracking stopped, {schedule.Horizon} after submission (StartFrame__TrackingHorizon); {last}.");

    private static string Describe(VideoTaskStatus status) =>
        status.Progress is { } progress ? $"{status.Status}, {progress}% done" : status.Status;

    /// <summary>ModelStream answers 400 <c>task_not_exist</c> for a task it does not know (some gateways 404).</summary>
    private static bool IsUnknownTask(ModelStreamException ex) =>
        ex.ErrorCode == CompletionErrorCodes.TaskNotExist || (ex.Kind == ModelStreamFailureKind.Permanent && ex.Status == 404);
}
