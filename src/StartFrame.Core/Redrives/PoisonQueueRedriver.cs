using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Queues;
using StartFrame.Core.Storage;
using StartFrame.Core.Validation;
using StartFrame.Core.WaysIn;

namespace StartFrame.Core.Redrives;

/// <summary>
/// Moves the messages the Functions host gave up on back onto the queue trigger they came from
/// (<see cref="TriggerTable.QueueTriggers"/>), exactly as they are. Each is re-sent first and deleted from the poison
/// queue only after, so a failure part-way loses nothing (at worst one shows on both, which is harmless: submissions
/// carry their idempotency key, re-checks and tracking messages are made idempotent by the ledger). A message that is
/// not base64 (none of the app's are) is left for a person. The clients must have no message encoding, so the stored
/// text is read and re-sent byte for byte.
/// </summary>
public static class PoisonQueueRedriver
{
    private const int Batch = 32; // the most one receive returns
    private static readonly TimeSpan s_hold = TimeSpan.FromMinutes(1); // a message whose move failed reappears after this

    /// <summary>Says what a move would do with the first batch, changing nothing; true when there may be more.</summary>
    public static async Task<bool> ListAsync(QueueClient poison, Trigger trigger, Action<PoisonRedriveItem> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poison);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(report);

        // Peeking changes nothing and hides nothing; it sees at most one batch, which the caller says.
        var messages = (await poison.PeekMessagesAsync(Batch, cancellationToken).ConfigureAwait(false)).Value;
        foreach (var message in messages)
        {
            var look = Look(message.Body, IsSubmissions(trigger));
            report(new PoisonRedriveItem(message.MessageId, look.Movable ? "would_move" : "would_skip", look.Key, look.KeyDerived, message.InsertedOn, look.Note));
        }

        return messages.Length == Batch;
    }

    /// <summary>Moves every message of <paramref name="poison"/> onto <paramref name="target"/>, reporting each.</summary>
    public static async Task MoveAsync(QueueClient poison, QueueClient target, Trigger trigger, Action<PoisonRedriveItem> report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(poison);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(report);
        await target.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var submissions = IsSubmissions(trigger);
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
                    report(new PoisonRedriveItem(message.MessageId, "skipped", null, false, message.InsertedOn, look.Note));
                    continue;
                }

                try
                {
                    await target.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
                catch (RequestFailedException ex)
                {
                    report(new PoisonRedriveItem(message.MessageId, "failed", look.Key, look.KeyDerived, message.InsertedOn,
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

                report(new PoisonRedriveItem(message.MessageId, "moved", look.Key, look.KeyDerived, message.InsertedOn, note));
            }
        }
    }

    private static bool IsSubmissions(Trigger trigger) => trigger.Source == StartFrameOptions.SubmissionsQueue;

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
            message = StrictJson.Parse(decoded) as JsonObject; // a key given twice is no JSON object for the queue path either
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
}
