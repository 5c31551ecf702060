using Azure.Storage.Blobs;

namespace StartFrame.Core.Pipeline;

/// <summary>
/// The blob pipeline: blob → sidecar → validate → submit → record. What the blob trigger, the CLI's
/// <c>process</c> command and the tests all call.
/// </summary>
public sealed class StartFrameProcessor : IStartFrameProcessor
{
    /// <summary>Processes one uploaded blob (an image or a sidecar) of the uploads container.</summary>
    /// <returns>What happened; a permanent problem has already been written as a failure record.</returns>
    /// <exception cref="Exception">A transient problem, rethrown so the platform delivers the event again.</exception>
    public Task<ProcessingOutcome> ProcessBlobAsync(BlobClient blob, string? correlationId, CancellationToken cancellationToken)
        => throw new NotImplementedException();
}
