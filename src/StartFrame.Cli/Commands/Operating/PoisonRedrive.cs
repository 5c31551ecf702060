using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Queues;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.Redrives;
using StartFrame.Core.Storage;
using StartFrame.Core.WaysIn;

namespace StartFrame.Cli.Commands.Operating;

/// <summary>
/// <c>startframe redrive --poison [queue]</c>: the core's <see cref="PoisonQueueRedriver"/> moves the messages the
/// Functions host gave up on back onto the queue trigger they came from (<see cref="TriggerTable"/>), exactly as they
/// are; this command checks the name, prints each message and the summary. Each is re-sent first and deleted from the
/// poison queue only after that succeeded, so an interrupted run loses nothing. A message without an <c>idempotencyKey</c> needs none added:
/// the queue path derives its key from the body (<see cref="SubmissionKeys.DefaultQueueKey"/>), so the moved copy
/// claims the same key as the first delivery and is never charged twice. A message that is not base64 (the encoding
/// every StartFrame queue uses) is reported and left where it is, visible; one that is not JSON is moved (it becomes
/// a failure record). Messages are read as stored, undecoded, so one odd message cannot stop the others.
/// </summary>
internal static class PoisonRedrive
{
    /// <summary>Where the host moves a <c>video-submissions</c> message after <c>maxDequeueCount</c> failed deliveries.</summary>
    public const string DefaultQueue = StartFrameOptions.SubmissionsQueue + TriggerTable.PoisonSuffix;

    public static async Task<int> RunAsync(string poisonQueue, bool dryRun, bool asJson, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!CliEnvironment.Read().TryGetStorage(error, out var storage))
        {
            return ExitCodes.Failure;
        }

        if (TriggerTable.ByPoisonQueue(poisonQueue) is not { } trigger)
        {
            await error.WriteLineAsync($"redrive: --poison takes the poison queue of one of the app's queue triggers: {string.Join(", ", TriggerTable.QueueTriggers.Select(t => t.PoisonQueue))}; got '{poisonQueue}'.").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        // No message encoding on these clients: the text is read and re-sent exactly as stored.
        var queues = CliEnvironment.RawQueues(storage);
        var poison = queues.GetQueueClient(poisonQueue);
        var report = new Report(output, asJson, dryRun, trigger.Source);
        try
        {
            if (!(await poison.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                await error.WriteLineAsync($"redrive: there is no queue '{poisonQueue}': nothing has been poisoned yet (the host creates it on the first one), or the name is wrong.").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            if (dryRun)
            {
                report.Truncated = await PoisonQueueRedriver.ListAsync(poison, trigger, report.Add, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await PoisonQueueRedriver.MoveAsync(poison, queues.GetQueueClient(trigger.Source), trigger, report.Add, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (CliFailure.IsStorage(ex))
        {
            await error.WriteLineAsync(CliFailure.StorageFailed("redrive", ex, "messages not yet moved stay on the poison queue, run the same command again.")).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        report.Summarise(asJson ? error : output);
        return report.ExitCode;
    }

    private sealed class Report(TextWriter output, bool asJson, bool dryRun, string target)
    {
        private int _moved;
        private int _failed;
        private int _skipped;

        public bool Truncated { get; set; }

        /// <summary>1 when a message could not be moved or was left for a person (skipped), else 0.</summary>
        public int ExitCode => _failed + _skipped > 0 ? ExitCodes.Failure : ExitCodes.Ok;

        public void Add(PoisonRedriveItem moved)
        {
            switch (moved.Status)
            {
                case "failed": _failed++; break;
                case "skipped" or "would_skip": _skipped++; break;
                default: _moved++; break;
            }

            if (asJson)
            {
                var document = new JsonObject
                {
                    ["messageId"] = moved.MessageId,
                    ["status"] = moved.Status,
                    ["idempotencyKey"] = moved.IdempotencyKey,
                    ["keyDerived"] = moved.KeyDerived,
                    ["insertedOn"] = moved.InsertedOn,
                };
                if (moved.Note is not null)
                {
                    document["detail"] = moved.Note;
                }

                output.WriteLine(JsonText.Line(document));
                return;
            }

            var line = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{moved.Status.Replace('_', ' '),-11}{moved.MessageId}");
            var facts = new List<string>();
            if (moved.InsertedOn is { } at)
            {
                facts.Add(at.ToUniversalTime().ToString("'poisoned 'yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            }

            if (moved.IdempotencyKey is not null)
            {
                facts.Add($"idempotencyKey {moved.IdempotencyKey}{(moved.KeyDerived ? " (derived from the body)" : "")}");
            }

            if (facts.Count > 0)
            {
                line.Append(" (").Append(string.Join(", ", facts)).Append(')');
            }
            if (moved.Note is not null)
            {
                line.Append(": ").Append(moved.Note);
            }

            output.WriteLine(line.ToString());
        }

        public void Summarise(TextWriter writer)
        {
            var total = _moved + _failed + _skipped;
            var messages = $"{total} {(total == 1 ? "message" : "messages")}";
            var skipped = _skipped > 0 ? $", {_skipped} skipped (left on the poison queue)" : "";
            var truncated = Truncated ? " (the first 32 shown; a real run moves them all)" : "";
            writer.WriteLine(dryRun
                ? _skipped == 0
                    ? $"{messages} would be moved to {target}{truncated}; dry run, nothing changed."
                    : $"{messages}: {_moved} would be moved to {target}{skipped}{truncated}; dry run, nothing changed."
                : $"{messages}: {_moved} moved to {target}, {_failed} failed{skipped}.");
        }
    }
}
