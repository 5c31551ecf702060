namespace StartFrame.Core.Uploads;

/// <summary>The first bytes of an image blob and what the same ranged read told about the whole blob.</summary>
/// <param name="Bytes">At most <see cref="UploadReader.ImageHeadBytes"/> bytes from the start.</param>
/// <param name="Length">The blob's full length.</param>
/// <param name="ETag">The blob's ETag at the time of the read.</param>
/// <param name="ContentType">The stored content type.</param>
/// <param name="ContentMd5">The whole blob's stored Content-MD5 (a ranged read returns it when the blob has one); empty when it has none.</param>
/// <param name="VersionId">The version the read saw, when the account keeps blob versions; the SAS is signed for it.</param>
/// <param name="UploadedAt">When the blob was last written: its place in the line for a provider slot (first come, first served).</param>
public sealed record UploadedImage(ReadOnlyMemory<byte> Bytes, long Length, string ETag, string? ContentType, ReadOnlyMemory<byte> ContentMd5 = default, string? VersionId = null, DateTimeOffset? UploadedAt = null);
