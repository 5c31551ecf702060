using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using StartFrame.Core.Admission;
using StartFrame.Core.Telemetry;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// Queues a look at an upload for when another run's claim on it runs out, so that a claim left by a run that
/// crashed mid-POST is always settled (recorded, or taken for ambiguous) without waiting for a delivery that may
/// never come. The message is invisible until then (Azure allows up to 7 days; the lease is at most one).
/// </summary>
public sealed class RecheckScheduler(QueueServiceClient queues, TimeProvider timeProvider)
{
    /// <summary>Looked at this long after the lease ends, so the clocks of two machines need not agree to the millisecond.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    private readonly QueueClient _queue = queues.GetQueueClient(StartFrameOptions.RechecksQueue);

    /// <summary>Queues a re-check of <paramref name="image"/> due in <paramref name="leaseLeft"/> (plus <see cref="Margin"/>);
    /// returns the message as sent, which an upload waiting for a slot keeps in line so a freed slot can wake it.</summary>
    public async Task<PendingLook> ScheduleAsync(BlobClient image, TimeSpan leaseLeft, string correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        var delay = (leaseLeft > TimeSpan.Zero ? leaseLeft : TimeSpan.Zero) + Margin;
        var message = new RecheckMessage($"{image.BlobContainerName}/{image.Name}", correlationId, timeProvider.GetUtcNow() + delay)
        {
            Traceparent = TraceParent.OfWayIn(),
        };
        var sent = await _queue.SendMessageAsync(
            JsonSerializer.Serialize(message, RecheckJsonContext.Default.RecheckMessage),
            visibilityTimeout: delay,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        return new PendingLook(sent.Value.MessageId, sent.Value.PopReceipt);
    }

    /// <summary>Reads a message this scheduler wrote.</summary>
    /// <exception cref="FormatException">It is not one: the host retries it, then moves it to <c>upload-rechecks-poison</c> for a person to look at.</exception>
    public static RecheckMessage Read(string text)
    {
        try
        {
            return JsonSerializer.Deserialize(text, RecheckJsonContext.Default.RecheckMessage)
                ?? throw new FormatException("An upload-rechecks message is JSON null.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"An upload-rechecks message is not a re-check ({ex.Message}); it was not written by StartFrame.", ex);
        }
    }
}
