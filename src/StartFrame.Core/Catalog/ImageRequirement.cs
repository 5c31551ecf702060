
namespace StartFrame.Core.Catalog;

/// <summary>What a model accepts as its start frame: the uploaded image itself, not a sidecar field.</summary>
public sealed record ImageRequirement
{
    /// <summary>Accepted formats, by magic bytes.</summary>
    public required IReadOnlyList<ImageFormat> Formats { get; init; }

    /// <summary>The narrowest accepted shape (inclusive), e.g. <c>1:4</c>; <see langword="null"/> for no bound.</summary>
    public AspectRatio? MinAspectRatio { get; init; }

    /// <summary>The widest accepted shape (inclusive), e.g. <c>4:1</c>; <see langword="null"/> for no bound.</summary>
    public AspectRatio? MaxAspectRatio { get; init; }

    /// <summary>Largest accepted size in bytes (inclusive); <see langword="null"/> for no limit.</summary>
    /// <remarks>Written out in bytes so "50 MB" is never ambiguous: the embedded catalog uses 50,000,000.</remarks>
    public long? MaxBytes { get; init; }
}
