using System.Text.Json.Serialization;

namespace StartFrame.Core.Catalog;

/// <summary>The image formats StartFrame recognises by their magic bytes.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ImageFormat>))]
public enum ImageFormat
{
    /// <summary>PNG.</summary>
    [JsonStringEnumMemberName("png")]
    Png,

    /// <summary>JPEG (any SOF variant).</summary>
    [JsonStringEnumMemberName("jpeg")]
    Jpeg,

    /// <summary>WebP in its lossy (VP8), lossless (VP8L) or extended (VP8X) form.</summary>
    [JsonStringEnumMemberName("webp")]
    WebP,
}

/// <summary>How image formats are named to people.</summary>
public static class ImageFormatNames
{
    /// <summary><c>PNG</c>, <c>JPEG</c> or <c>WebP</c>.</summary>
    public static string DisplayName(this ImageFormat format) => format switch
    {
        ImageFormat.Png => "PNG",
        ImageFormat.Jpeg => "JPEG",
        _ => "WebP",
    };
}
