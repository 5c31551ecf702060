using System.Globalization;
using System.Text.Json;

namespace ModelStream.Client;

/// <summary>Lenient readers for response fields whose type varies between deployments.</summary>
internal static class Json
{
    /// <summary>A string, or a number's text (some gateways send numeric codes); otherwise null. Empty counts as absent.</summary>
    public static string? ReadText(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>A whole percentage from <c>100</c>, <c>99.5</c> or <c>"100%"</c>; otherwise null.</summary>
    public static int? ReadPercent(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
        {
            return Clamp(number);
        }

        if (value.ValueKind == JsonValueKind.String
            && double.TryParse(value.GetString()?.Trim().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            return Clamp(parsed);
        }

        return null;

        static int Clamp(double percent) => (int)Math.Round(Math.Clamp(percent, 0, 100), MidpointRounding.AwayFromZero);
    }

    /// <summary>The object at <paramref name="name"/>, if it is one.</summary>
    public static bool TryGetObject(JsonElement element, string name, out JsonElement value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        value = default;
        return false;
    }
}
