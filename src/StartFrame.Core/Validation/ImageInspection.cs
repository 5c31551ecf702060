using StartFrame.Core.Catalog;
using StartFrame.Core.Problems;



namespace StartFrame.Core.Validation;

/// <summary>The outcome of the image checks: what the image is, and every reason it is unacceptable.</summary>
public sealed record ImageInspection
{
    /// <summary>Whether the image passed every check.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>The format by magic bytes, when recognised.</summary>
    public ImageFormat? Format { get; init; }

    /// <summary>Pixel width, when read.</summary>
    public int? Width { get; init; }

    /// <summary>Pixel height, when read.</summary>
    public int? Height { get; init; }

    /// <summary>Total length in bytes, as storage reported it.</summary>
    public long Length { get; init; }

    /// <summary>Every problem found, each with field <c>image</c>.</summary>
    public IReadOnlyList<ValidationError> Errors { get; init; } = [];
}
