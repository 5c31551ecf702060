namespace StartFrame.LocalDev.EventGrid;

/// <summary>A blob that appeared or was replaced (new ETag) in a watched container: what a BlobCreated event reports.</summary>
/// <param name="Blob">The blob's facts, as a BlobCreated event carries them.</param>
/// <param name="CommittedAt">When the blob was written (its last-modified time): the event's time.</param>
public sealed record BlobChange(BlobCreatedSource Blob, DateTimeOffset CommittedAt);
