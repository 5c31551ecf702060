namespace StartFrame.Core.Validation;

/// <summary>
/// The start of an uploaded image and what storage says about it: everything the image checks need, from one ranged
/// read of at most <see cref="ImageValidator.HeaderBytes"/> bytes.
/// </summary>
/// <param name="Header">The first bytes of the image (the whole image if it is smaller).</param>
/// <param name="Length">The image's total length in bytes, as storage reports it.</param>
/// <param name="Name">The blob or file name, for its extension; <see langword="null"/> skips the extension check.</param>
/// <param name="ContentType">The stored content type; <see langword="null"/>, empty or <c>application/octet-stream</c> are not checked.</param>
public sealed record ImageToCheck(ReadOnlyMemory<byte> Header, long Length, string? Name, string? ContentType = null);
