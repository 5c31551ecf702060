namespace StartFrame.Core.Uploads;

/// <summary>
/// The naming conventions of the uploads container: images are png/jpg/jpeg/webp (any case); the sidecar of
/// <c>a/b/cat.png</c> is <c>a/b/cat.json</c>.
/// </summary>
public static class UploadNames
{
    /// <summary>Image extensions accepted, lower case with the dot.</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg", ".webp"];

    /// <summary>True for a name ending in an accepted image extension.</summary>
    public static bool IsImage(string name) => ImageExtensions.Contains(Extension(name));

    /// <summary>True for a name ending in <c>.json</c>.</summary>
    public static bool IsSidecar(string name) => Extension(name) == ".json";

    /// <summary>The sidecar name of an image.</summary>
    public static string SidecarOf(string imageName) => Stem(imageName) + ".json";

    /// <summary>The name without its extension (folders kept).</summary>
    public static string Stem(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var dot = name.LastIndexOf('.');
        var slash = name.LastIndexOf('/');
        return dot > slash ? name[..dot] : name;
    }

    /// <summary>The extension, lower case with the dot, or empty.</summary>
    public static string Extension(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var stem = Stem(name);
        return stem.Length == name.Length ? "" : name[stem.Length..].ToLowerInvariant();
    }
}
