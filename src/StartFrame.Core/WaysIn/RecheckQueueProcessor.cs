using Azure.Storage.Blobs;
using StartFrame.Core.Storage;
using StartFrame.Core.Telemetry;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// A re-check is due: run the upload through the blob pipeline again, exactly as its trigger does. Whatever the
/// claim's run did is settled now — recorded (nothing to do), owed (the record is written), or left (taken for
/// ambiguous under <c>StartFrame:AmbiguousRetry</c> and written as a failure record). Meeting yet another live claim
/// queues the next re-check.
/// </summary>
public sealed class RecheckQueueProcessor(BlobServiceClient blobs, IBlobUploads processor, StageSpans spans) : IRecheckQueueProcessor
{
    /// <inheritdoc />
    public async Task ProcessAsync(string messageText, CancellationToken cancellationToken)
    {
        var message = RecheckScheduler.Read(messageText);
        if (!BlobNames.TryGetUpload(blobs, message.Blob, out var image, out var problem))
        {
            throw new FormatException($"An upload-rechecks message names no upload ({problem}).");
        }

        // A new delivery, maybe long after the first look: its span joins the upload's trace through the kept traceparent.
        using var span = StageSpans.StartWithParent(SpanNames.Recheck, message.Traceparent, System.Diagnostics.ActivityKind.Consumer);
        spans.Tag(span, TagNames.Container, image.BlobContainerName);
        spans.Tag(span, TagNames.Blob, image.Name);
        spans.Tag(span, TagNames.CorrelationId, message.CorrelationId);
        var outcome = await processor.ProcessBlobAsync(image, message.CorrelationId, cancellationToken).ConfigureAwait(false);
        spans.Tag(span, TagNames.Outcome, outcome.Status);

    }
}
