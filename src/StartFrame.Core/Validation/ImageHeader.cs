using StartFrame.Core.Catalog;


namespace StartFrame.Core.Validation;

/// <summary>What the first bytes of an image say about it.</summary>
/// <param name="Format">The format by magic bytes; <see langword="null"/> when not PNG, JPEG or WebP.</param>
/// <param name="Width">Pixel width, when found in the bytes given.</param>
/// <param name="Height">Pixel height, when found in the bytes given.</param>
/// <param name="Problem">Why format or dimensions are missing, phrased for the user; <see langword="null"/> when both were read.</param>
public sealed record ImageHeader(ImageFormat? Format, int? Width, int? Height, string? Problem)
{
    /// <summary>Whether both pixel dimensions were read.</summary>
    public bool HasDimensions => Width is not null && Height is not null;
}
