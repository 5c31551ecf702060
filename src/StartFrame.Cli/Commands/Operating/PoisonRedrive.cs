using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Queues;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.Storage;
using StartFrame.Core.WaysIn;

namespace StartFrame.Cli.Commands.Operating;

/// <summary>
/// <c>startframe redrive --poison [queue]</c>: moves the messages the Functions host gave up on back onto the queue they
/// came from (<c>video-submissions</c>, <c>upload-rechecks</c> or <c>video-tracking</c>: the poison queue's name without
/// <c>-poison</c>), exactly as they are. Each is re-sent first and deleted from the poison queue only after
/// that succeeded, so an interrupted run loses nothing. A message without an <c>idempotencyKey</c> needs none added:
/// the queue path derives its key from the body (<see cref="SubmissionKeys.DefaultQueueKey"/>), so the moved copy
/// claims the same key as the first delivery and is never charged twice. A message that is not base64 (the encoding
/// every StartFrame queue uses) is reported and left where it is, visible; one that is not JSON is moved (it becomes
/// a failure record). Messages are read as stored, undecoded, so one odd message cannot stop the others.
/// </summary>
internal static class PoisonRedrive
{
    /// <summary>Where the host moves a <c>video-submissions</c> message after <c>maxDequeueCount</c> failed deliveries.</summary>
    public const string DefaultQueue = StartFrameOptions.SubmissionsQueue + TriggerTable.PoisonSuffix;

    private const int Batch = 32; // the most one receive returns
    private static readonly TimeSpan s_hold = TimeSpan.FromMinutes(1); // a message whose move failed reappears after this

    public static async Task<int> RunAsync(string poisonQueue, bool dryRun, bool asJson, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!CliEnvironment.Read().TryGetStorage(error, out var storage))
        {
            return ExitCodes.Failure;
        }

        var targetName = TriggerTable.ByPoisonQueue(poisonQueue)?.Source;
        if (targetName is null)
        {
            await error.WriteLineAsync($"redrive: --poison takes the poison queue of one of the app's queue triggers: {string.Join(", ", TriggerTable.QueueTriggers.Select(t => t.PoisonQueue))}; got '{poisonQueue}'.").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        // No message encoding on these clients: the text is read and re-sent exactly as stored.
        var queues = CliEnvironment.RawQueues(storage);
        var poison = queues.GetQueueClient(poisonQueue);
        var target = queues.GetQueueClient(targetName);
        var submissions = targetName == StartFrameOptions.SubmissionsQueue;
        var report = new Report(output, asJson, dryRun, targetName);
        try
        {
            if (!(await poison.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                await error.WriteLineAsync($"redrive: there is no queue '{poisonQueue}': nothing has been poisoned yet (the host creates it on the first one), or the name is wrong.").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            if (dryRun)
            {
                await ListAsync(poison, submissions, report, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await target.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await MoveAsync(poison, target, submissions, report, cancellationToken).ConfigureAwait(false);
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

    private static async Task ListAsync(QueueClient poison, bool submissions, Report report, CancellationToken cancellationToken)
    {
        // Peeking changes nothing and hides nothing; it sees at most one batch, which a dry run says.
        var messages = (await poison.PeekMessagesAsync(Batch, cancellationToken).ConfigureAwait(false)).Value;
        foreach (var message in messages)
        {
            var look = Look(message.Body, submissions);
            report.Add(new Moved(message.MessageId, look.Movable ? "would_move" : "would_skip", look.Key, look.KeyDerived, message.InsertedOn, look.Note));
        }

        report.Truncated = messages.Length == Batch;
    }

    private static async Task MoveAsync(QueueClient poison, QueueClient target, bool submissions, Report report, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var messages = (await poison.ReceiveMessagesAsync(Batch, s_hold, cancellationToken).ConfigureAwait(false)).Value;
            foreach (var again in messages.Where(m => seen.Contains(m.MessageId)))
            {
                // Left on purpose (skipped) and received again: visible again at once, not hidden by this run.
                await poison.UpdateMessageAsync(again.MessageId, again.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            if (messages.Length == 0 || messages.All(m => seen.Contains(m.MessageId)))
            {
                return;
            }

            foreach (var message in messages.Where(m => seen.Add(m.MessageId)))
            {
                var look = Look(message.Body, submissions);
                if (!look.Movable)
                {
                    await poison.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
                    report.Add(new Moved(message.MessageId, "skipped", null, false, message.InsertedOn, look.Note));
                    continue;
                }

                try
                {
                    await target.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException ex)
                {
                    report.Add(new Moved(message.MessageId, "failed", look.Key, look.KeyDerived, message.InsertedOn,
                        $"could not re-send it ({ex.Status} {ex.ErrorCode}); it stays on the poison queue"));
                    continue;
                }

                var note = look.Note;
                try
                {
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException ex)
                {
                    note = $"re-sent, but not deleted from the poison queue ({ex.Status} {ex.ErrorCode}): it shows again there; redriving it again is harmless (same idempotency key)";
                }

                report.Add(new Moved(message.MessageId, "moved", look.Key, look.KeyDerived, message.InsertedOn, note));
            }
        }
    }

    /// <summary>What a stored message is: base64 (movable) or not, and, for a submission, the idempotency key the queue path
    /// will use for it (re-checks and tracking messages are made idempotent by the ledger itself).</summary>
    private static (bool Movable, string? Key, bool KeyDerived, string? Note) Look(BinaryData stored, bool submissions)
    {
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(stored.ToString());
        }
        catch (FormatException)
        {
            return (false, null, false, "not base64 (every StartFrame queue message is): left on the poison queue for a person to look at");
        }

        JsonObject? message;
        try
        {
            message = JsonNode.Parse(decoded) as JsonObject;
        }
        catch (JsonException)
        {
            message = null;
        }

        if (!submissions)
        {
            return (true, null, false, message is null ? "not a JSON object: moved unchanged" : null);
        }

        if (message is null)
        {
            return (true, null, false, "not a JSON object: moved unchanged; it will become a failure record");
        }

        var (key, derived) = SubmissionQueueSender.KeyOf(message);
        return (true, key, derived, null);
    }

    private sealed record Moved(string MessageId, string Status, string? IdempotencyKey, bool KeyDerived, DateTimeOffset? InsertedOn, string? Note);

    private sealed class Report(TextWriter output, bool asJson, bool dryRun, string target)
    {
        private int _moved;
        private int _failed;
        private int _skipped;

        public bool Truncated { get; set; }

        /// <summary>1 when a message could not be moved or was left for a person (skipped), else 0.</summary>
        public int ExitCode => _failed + _skipped > 0 ? ExitCodes.Failure : ExitCodes.Ok;

        public void Add(Moved moved)
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
