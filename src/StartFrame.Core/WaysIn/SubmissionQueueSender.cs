using System.Text;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using StartFrame.Core.Records;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// Puts a submission on <c>video-submissions</c> as a pipeline would (<c>startframe submit --queue</c>): the HTTP body's JSON,
/// base64-encoded, which the queue trigger reads, validates and submits — or turns into a failure record. Nothing is
/// checked here beyond what the queue itself imposes: what the trigger refuses, it refuses as it would for any sender.
/// </summary>
public sealed class SubmissionQueueSender(QueueServiceClient queues)
{
    /// <summary>A queue message holds 64 KiB as stored; base64 makes 3 bytes 4, so 48 KiB of UTF-8 JSON fit.</summary>
    public const int MaxMessageBytes = RecordWriter.MaxInlineBytes;

    /// <summary>The message as it will be queued: the body's JSON, text as itself (what <see cref="SendAsync"/> sends).</summary>
    public static string MessageText(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return body.ToJsonString(RecordJson.Context.Options);
    }

    /// <summary>The idempotency key the queue trigger will claim for <paramref name="body"/>, and whether it is derived from it.</summary>
    public static (string Key, bool Derived) KeyOf(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return SubmissionFields.ReadString(body, SubmissionFields.IdempotencyKey) is { Length: > 0 } given
            ? (given, false)
            : (SubmissionKeys.DefaultQueueKey(body), true);
    }

    /// <summary>Queues <paramref name="body"/>; the queue is created if missing (as the function app does at start).</summary>
    /// <returns>The message id.</returns>
    /// <exception cref="ArgumentException">The message would not fit a queue message (over <see cref="MaxMessageBytes"/>).</exception>
    public async Task<string> SendAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var text = MessageText(body);
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxMessageBytes)
        {
            throw new ArgumentException($"the message would be {bytes:N0} bytes of JSON; a queue message holds {MaxMessageBytes:N0} (64 KiB once base64-encoded)", nameof(body));
        }

        var queue = queues.GetQueueClient(StartFrameOptions.SubmissionsQueue);
        await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var receipt = await queue.SendMessageAsync(text, cancellationToken).ConfigureAwait(false);
        return receipt.Value.MessageId;
    }
}
