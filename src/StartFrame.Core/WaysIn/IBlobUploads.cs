using Azure.Storage.Blobs;

namespace StartFrame.Core.WaysIn;

/// <summary>The blob pipeline as the function app sees it (a seam so the adapter is tested without storage).</summary>
public interface IBlobUploads
{
    /// <summary>Processes one uploaded blob (an image or a sidecar) of the uploads container.</summary>
    /// <param name="blob">The blob the trigger fired for.</param>
    /// <param name="correlationId">The trigger's id (Event Grid event id, invocation id); one is made when null.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What happened; a permanent problem has already been written as a failure record.</returns>
    Task<ProcessingOutcome> ProcessBlobAsync(BlobClient blob, string? correlationId, CancellationToken cancellationToken);
}
