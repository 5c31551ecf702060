namespace StartFrame.Core.Pipeline;

/// <summary>The first bytes of an image blob and what the same ranged read told about the whole blob.</summary>
/// <param name="Bytes">At most <see cref="UploadReader.ImageHeadBytes"/> bytes from the start.</param>
/// <param name="Length">The blob's full length.</param>
/// <param name="ETag">The blob's ETag at the time of the read (the ledger key).</param>
/// <param name="ContentType">The stored content type.</param>
public sealed record ImageHead(ReadOnlyMemory<byte> Bytes, long Length, string ETag, string? ContentType);
