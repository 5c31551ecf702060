using Azure.Storage.Blobs;
using StartFrame.Core.Storage;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// A re-check is due: run the upload through the blob pipeline again, exactly as its trigger does. Whatever the
/// claim's run did is settled now — recorded (nothing to do), owed (the record is written), or left (taken for
/// ambiguous under <c>StartFrame:AmbiguousRetry</c> and written as a failure record). Meeting yet another live claim
/// queues the next re-check.
/// </summary>
public sealed class RecheckQueueProcessor(BlobServiceClient blobs, IBlobUploads processor) : IRecheckQueueProcessor
{
    /// <inheritdoc />
    public async Task ProcessAsync(string messageText, CancellationToken cancellationToken)
    {
        var message = RecheckScheduler.Read(messageText);
        if (!BlobNames.TryGetUpload(blobs, message.Blob, out var image, out var problem))
        {
            throw new FormatException($"An upload-rechecks message names no upload ({problem}).");
        }

        await processor.ProcessBlobAsync(image, message.CorrelationId, cancellationToken).ConfigureAwait(false);
    }
}
