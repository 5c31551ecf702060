using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StartFrame.Core.Catalog;

/// <summary>A width:height ratio such as <c>1:4</c>, kept as two integers so bounds compare exactly.</summary>
[JsonConverter(typeof(AspectRatioJsonConverter))]
public readonly record struct AspectRatio
{
    /// <summary>Creates a ratio; both sides must be positive.</summary>
    public AspectRatio(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
    }

    /// <summary>The width side.</summary>
    public int Width { get; }

    /// <summary>The height side.</summary>
    public int Height { get; }

    /// <summary>
    /// Compares the shape of a <paramref name="width"/> × <paramref name="height"/> image with this ratio:
    /// positive when the image is wider, zero when equal, negative when narrower. Exact (no floating point).
    /// </summary>
    public int CompareShape(long width, long height) => (width * Height).CompareTo(Width * height);

    /// <summary>Parses <c>"w:h"</c>.</summary>
    public static bool TryParse(string? text, out AspectRatio ratio)
    {
        ratio = default;
        var parts = text?.Split(':');
        if (parts is not { Length: 2 }
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var w)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var h)
            || w <= 0 || h <= 0)
        {
            return false;
        }
        ratio = new AspectRatio(w, h);
        return true;
    }

    /// <summary>The ratio as <c>"w:h"</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Width}:{Height}");
}

/// <summary>Reads and writes <see cref="AspectRatio"/> as <c>"w:h"</c>.</summary>
internal sealed class AspectRatioJsonConverter : JsonConverter<AspectRatio>
{
    public override AspectRatio Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return AspectRatio.TryParse(text, out var ratio)
            ? ratio
            : throw new JsonException("An aspect ratio must be a string \"width:height\" of positive whole numbers, such as \"1:4\".");
    }

    public override void Write(Utf8JsonWriter writer, AspectRatio value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
