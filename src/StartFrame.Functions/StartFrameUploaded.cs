using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using StartFrame.Core;
using StartFrame.Core.WaysIn;

namespace StartFrame.Functions;

/// <summary>
/// A blob landed in the uploads container. Event Grid delivers <c>Microsoft.Storage.BlobCreated</c> to the blob
/// extension's webhook (<c>/runtime/webhooks/blobs?functionName=Host.Functions.StartFrameUploaded</c>); the extension
/// queues it internally and invokes this function with the blob.
/// </summary>
public sealed class StartFrameUploaded(IBlobUploads processor)
{
    /// <summary>Hands the blob to the pipeline. A transient failure throws, so the extension retries the blob
    /// (up to <c>poisonBlobThreshold</c>, then <c>webjobs-blobtrigger-poison</c>).</summary>
    /// <remarks>The extension keeps neither the Event Grid event id nor the client request id (its internal
    /// message carries only container, name, ETag and blob type), so the invocation id is the correlation id.</remarks>
    [Function(nameof(StartFrameUploaded))]
    public Task Run(
        [BlobTrigger(StartFrameOptions.UploadsContainer + "/{name}", Source = BlobTriggerSource.EventGrid, Connection = StartFrameOptions.StorageConnectionName)]
        BlobClient blob,
        FunctionContext context)
    {
        return processor.ProcessBlobAsync(blob, context.InvocationId, context.CancellationToken);
    }
}
