using Azure;
using Microsoft.Extensions.Logging;
using StartFrame.Core.Ledger;
using StartFrame.Core.Records;
using StartFrame.Core.Redaction;
using StartFrame.Core.Submitting;
using StartFrame.Core.Telemetry;

namespace StartFrame.Core.Redrives;

/// <summary>
/// The sweep behind <c>OwedRecordsDue</c> (every 5 minutes) and <c>startframe redrive --owed</c>: for each debt in the
/// <see cref="OwedRecordIndex"/>, the ledger entry is read and, if it still owes, its record and first tracking message
/// are written the way a redelivery writes them (<see cref="ClaimedSubmitter.WriteOwedRecordAsync"/>). Nothing is ever
/// submitted. A sweep racing a redelivery can queue a record twice (the same task id), never lose one.
/// </summary>
public sealed partial class OwedRecordSweeper(
    OwedRecordIndex index,
    SubmissionLedger ledger,
    ClaimedSubmitter submitter,
    Redactor redactor,
    StageSpans spans,
    TimeProvider timeProvider,
    ILogger<OwedRecordSweeper> logger) : IOwedRecordSweeper
{
    /// <summary>The timer's schedule (NCRONTAB, with seconds): every 5 minutes. One table query when nothing is owed.</summary>
    public const string TimerSchedule = Storage.TriggerTable.OwedRecordsSchedule;

    /// <summary>The same period, for hosts that run the sweep without the Functions timer (<c>startframe dev</c>).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(5);

    /// <summary>How long a new debt is left to the redelivery that usually settles it (the blob trigger retries at once,
    /// a client with an idempotency key retries when told): the timer's sweep only takes debts older than this.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    public async Task<IReadOnlyList<OwedSweepItem>> SweepAsync(TimeSpan grace, bool dryRun, CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetUtcNow() - grace;
        var items = new List<OwedSweepItem>();
        await foreach (var marker in index.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                items.Add(await SweepOneAsync(marker, cutoff, dryRun, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is RequestFailedException or ArgumentException or InvalidOperationException or FormatException or System.Text.Json.JsonException
                && !cancellationToken.IsCancellationRequested)
            {
                // A debt the table or its own record refuses (keys it will not take, a record that is no record) is reported
                // and left for an operator; the debts behind it are still written.
                var subject = $"{marker.LedgerPartitionKey}/{marker.LedgerRowKey}";
                var detail = redactor.Text($"{ex.GetType().Name}: {ex.Message.Split('\n')[0].Trim()}") ?? "";
                var outcome = ex is RequestFailedException { Status: 0 or >= 500 } ? OwedSweepOutcomes.StillOwed : OwedSweepOutcomes.Refused;
                LogRefused(logger, subject, outcome, detail);
                items.Add(new OwedSweepItem(outcome, subject, null, null, marker.OwedSince, detail));
            }
        }

        var written = items.Count(i => i.Outcome == OwedSweepOutcomes.Written);
        if (written > 0 || items.Any(i => i.Outcome is OwedSweepOutcomes.StillOwed or OwedSweepOutcomes.Refused))
        {
            LogSwept(logger, written, items.Count(i => i.Outcome == OwedSweepOutcomes.StillOwed));
        }

        return items;
    }

    private async Task<OwedSweepItem> SweepOneAsync(OwedRecordMarker marker, DateTimeOffset cutoff, bool dryRun, CancellationToken cancellationToken)
    {
        if (LedgerKey.Problem(marker.LedgerPartitionKey, marker.LedgerRowKey) is { } keyProblem)
        {
            var named = $"{marker.LedgerPartitionKey}/{marker.LedgerRowKey}";
            LogRefused(logger, named, OwedSweepOutcomes.Refused, keyProblem);
            return new OwedSweepItem(OwedSweepOutcomes.Refused, named, null, null, marker.OwedSince, "the marker names no ledger entry the table can hold: " + keyProblem);
        }

        var entry = await ledger.GetAsync(new LedgerKey(marker.LedgerPartitionKey, marker.LedgerRowKey), cancellationToken).ConfigureAwait(false);
        var subject = entry is null ? $"{marker.LedgerPartitionKey}/{marker.LedgerRowKey}" : SubjectOf(entry);
        if (entry is null || !entry.OwesRecord)
        {
            if (!dryRun)
            {
                await index.RemoveAsync(marker, cancellationToken).ConfigureAwait(false);
            }

            return new OwedSweepItem(OwedSweepOutcomes.Settled, subject, entry?.TaskId, null, marker.OwedSince);
        }

        var queue = entry.OwedQueue;
        if (marker.OwedSince > cutoff)
        {
            return new OwedSweepItem(OwedSweepOutcomes.Waiting, subject, entry.TaskId, queue, marker.OwedSince);
        }

        if (dryRun)
        {
            return new OwedSweepItem(OwedSweepOutcomes.WouldWrite, subject, entry.TaskId, queue, marker.OwedSince);
        }

        // The late write joins the trace its submission started (the entry keeps its traceparent), minutes or hours later.
        using var span = StageSpans.StartWithParent(SpanNames.Owed, entry.Traceparent, System.Diagnostics.ActivityKind.Internal);
        spans.Tag(span, TagNames.TaskId, entry.TaskId);
        spans.Tag(span, TagNames.CorrelationId, entry.CorrelationId);
        try
        {
            await submitter.WriteOwedRecordAsync(entry, subject, entry.CorrelationId ?? CorrelationIds.New(), cancellationToken).ConfigureAwait(false);
            await index.RemoveAsync(marker, cancellationToken).ConfigureAwait(false);
            spans.Tag(span, TagNames.Outcome, OwedSweepOutcomes.Written);
            return new OwedSweepItem(OwedSweepOutcomes.Written, subject, entry.TaskId, queue, marker.OwedSince);
        }
        catch (RequestFailedException ex)
        {
            // Storage is still failing: the marker stays, the next sweep tries again; the other debts go on.
            spans.Tag(span, TagNames.Outcome, OwedSweepOutcomes.StillOwed);
            spans.Fail(span, ex.ErrorCode ?? ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var detail = redactor.Text($"{ex.Status} {ex.ErrorCode}: {ex.Message.Split('\n')[0]}") ?? "";
            LogStillOwed(logger, subject, queue, ex.Status);
            return new OwedSweepItem(OwedSweepOutcomes.StillOwed, subject, entry.TaskId, queue, marker.OwedSince, detail);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A debt its own record refuses (reported by the sweep as refused): the span says so too, failed, so it is
            // exported whatever the sampling — these are the debts an operator must see.
            spans.Tag(span, TagNames.Outcome, OwedSweepOutcomes.Refused);
            spans.Fail(span, ex.GetType().Name);
            throw;
        }
    }

    private static string SubjectOf(LedgerEntry entry) =>
        entry.Blob is not null ? $"{entry.Container}/{entry.Blob}"
        : entry.ImageUrl is not null ? Redactor.UrlOnly(entry.ImageUrl)
        : $"{entry.PartitionKey}/{entry.RowKey}";

    [LoggerMessage(1012, LogLevel.Warning, "The record owed for {Subject} could not be written to {Queue} yet (storage status {Status}); the next sweep tries again")]
    private static partial void LogStillOwed(ILogger logger, string subject, string queue, int status);

    [LoggerMessage(1016, LogLevel.Error, "The record owed for ledger entry {Subject} was not swept ({Outcome}: {Problem}); the other debts go on")]
    private static partial void LogRefused(ILogger logger, string subject, string outcome, string problem);

    [LoggerMessage(1013, LogLevel.Information, "Owed records swept: {Written} written, {StillOwed} still owed")]
    private static partial void LogSwept(ILogger logger, int written, int stillOwed);
}
