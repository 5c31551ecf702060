using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Queues;
using StartFrame.Core;
using StartFrame.Core.Submissions;

namespace StartFrame.Cli.Commands;

/// <summary>
/// <c>startframe redrive --poison [queue]</c>: moves the messages the Functions host gave up on back onto
/// <c>video-submissions</c>. Each is re-sent first and deleted from the poison queue only after that succeeded, so an
/// interrupted run loses nothing; a message without an <c>idempotencyKey</c> gets <c>msg:&lt;its poison message id&gt;</c>,
/// so re-running the redrive after an interruption replays the same submission instead of making a second one.
/// </summary>
internal static class PoisonRedrive
{
    /// <summary>Where the host moves a <c>video-submissions</c> message after <c>maxDequeueCount</c> failed deliveries.</summary>
    public const string DefaultQueue = StartFrameOptions.SubmissionsQueue + "-poison";

    private const int Batch = 32; // the most one receive returns
    private static readonly TimeSpan s_hold = TimeSpan.FromMinutes(5); // a message not moved reappears after this

    public static async Task<int> RunAsync(string poisonQueue, bool dryRun, bool asJson, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!CliEnvironment.Read().TryGetStorage(error, out var storage))
        {
            return ExitCodes.Failure;
        }

        var queues = CliEnvironment.Queues(storage);
        var poison = queues.GetQueueClient(poisonQueue);
        var target = queues.GetQueueClient(StartFrameOptions.SubmissionsQueue);
        var report = new Report(output, asJson, dryRun);
        try
        {
            if (!(await poison.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                await error.WriteLineAsync($"redrive: there is no queue '{poisonQueue}': nothing has been poisoned yet (the host creates it on the first one), or the name is wrong.").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            if (dryRun)
            {
                await ListAsync(poison, report, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await target.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                await MoveAsync(poison, target, report, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException)
        {
            await error.WriteLineAsync($"redrive: storage failed ({FirstLine(ex.InnerException?.Message ?? ex.Message)}): check {StartFrameOptions.StorageConnectionName}; "
                + "messages not yet moved stay on the poison queue, run the same command again.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        report.Summarise(asJson ? error : output);
        return report.ExitCode;
    }

    private static async Task ListAsync(QueueClient poison, Report report, CancellationToken cancellationToken)
    {
        // Peeking changes nothing; it sees at most one batch, which a dry run says.
        var messages = (await poison.PeekMessagesAsync(Batch, cancellationToken).ConfigureAwait(false)).Value;
        foreach (var message in messages)
        {
            var (_, key, added, note) = Prepare(message.Body, message.MessageId);
            report.Add(new Moved(message.MessageId, "would_move", key, added, message.InsertedOn, note));
        }

        report.Truncated = messages.Length == Batch;
    }

    private static async Task MoveAsync(QueueClient poison, QueueClient target, Report report, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var messages = (await poison.ReceiveMessagesAsync(Batch, s_hold, cancellationToken).ConfigureAwait(false)).Value;
            // A message whose re-send failed comes back after the hold; stop rather than loop on it.
            if (messages.Length == 0 || messages.All(m => seen.Contains(m.MessageId)))
            {
                return;
            }

            foreach (var message in messages.Where(m => seen.Add(m.MessageId)))
            {
                var (body, key, added, note) = Prepare(message.Body, message.MessageId);
                try
                {
                    await target.SendMessageAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException ex)
                {
                    report.Add(new Moved(message.MessageId, "failed", key, added, message.InsertedOn,
                        $"could not re-send it ({ex.Status} {ex.ErrorCode}); it stays on the poison queue"));
                    continue;
                }

                try
                {
                    await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException ex)
                {
                    note = $"re-sent, but not deleted from the poison queue ({ex.Status} {ex.ErrorCode}): it shows again there; redriving it again is harmless (same idempotency key)";
                }

                report.Add(new Moved(message.MessageId, "moved", key, added, message.InsertedOn, note));
            }
        }
    }

    /// <summary>The body to re-send: the same, plus <c>idempotencyKey</c> when it had none (a JSON object only).</summary>
    private static (BinaryData Body, string? Key, bool Added, string? Note) Prepare(BinaryData body, string messageId)
    {
        JsonObject? message;
        try
        {
            message = JsonNode.Parse(body.ToMemory().Span) as JsonObject;
        }
        catch (JsonException)
        {
            message = null;
        }

        if (message is null)
        {
            return (body, null, false, "not a JSON object: moved unchanged; it will become a failure record");
        }

        if (message[SubmissionFields.IdempotencyKey] is JsonValue value && value.TryGetValue<string>(out var existing) && existing.Length > 0)
        {
            return (body, existing, false, null);
        }

        var key = "msg:" + messageId;
        message[SubmissionFields.IdempotencyKey] = key;
        return (BinaryData.FromString(CliCatalog.Write(message, indented: false)), key, true, null);
    }

    private sealed record Moved(string MessageId, string Status, string? IdempotencyKey, bool KeyAdded, DateTimeOffset? InsertedOn, string? Note);

    private sealed class Report(TextWriter output, bool asJson, bool dryRun)
    {
        private int _moved;
        private int _failed;

        public bool Truncated { get; set; }

        public int ExitCode => _failed > 0 ? ExitCodes.Failure : ExitCodes.Ok;

        public void Add(Moved moved)
        {
            if (moved.Status == "failed")
            {
                _failed++;
            }
            else
            {
                _moved++;
            }

            if (asJson)
            {
                var document = new JsonObject
                {
                    ["messageId"] = moved.MessageId,
                    ["status"] = moved.Status,
                    ["idempotencyKey"] = moved.IdempotencyKey,
                    ["keyAdded"] = moved.KeyAdded,
                    ["insertedOn"] = moved.InsertedOn,
                };
                if (moved.Note is not null)
                {
                    document["detail"] = moved.Note;
                }

                output.WriteLine(CliCatalog.Write(document, indented: false));
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
                facts.Add($"idempotencyKey {moved.IdempotencyKey}{(moved.KeyAdded ? " (added)" : "")}");
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
            var total = _moved + _failed;
            var messages = $"{total} {(total == 1 ? "message" : "messages")}";
            writer.WriteLine(dryRun
                ? $"{messages} would be moved to {StartFrameOptions.SubmissionsQueue}{(Truncated ? " (the first 32 shown; a real run moves them all)" : "")}; dry run, nothing changed."
                : $"{messages}: {_moved} moved to {StartFrameOptions.SubmissionsQueue}, {_failed} failed.");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
