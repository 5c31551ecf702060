using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using StartFrame.Core.Problems;

namespace StartFrame.Core.Catalog;

/// <summary>
/// Checks one value against its <see cref="ParameterSpec"/>: type, then allowed values, then range, then step,
/// reporting the first that fails (one error per field). Also used on catalog defaults when a catalog loads.
/// </summary>
internal static class ParameterChecker
{
    /// <summary>Checks <paramref name="value"/>; on success <paramref name="wireValue"/> is what is sent.</summary>
    /// <remarks>
    /// Whole-number fields accept <c>5.0</c> (JSON does not distinguish it from <c>5</c>, and people and tools write it)
    /// and send it as <c>5</c>; <c>5.5</c> is <see cref="ValidationCodes.NotAStep"/>.
    /// </remarks>
    public static ValidationError? Check(ParameterSpec spec, JsonElement value, string field, out JsonNode? wireValue)
    {
        wireValue = null;
        switch (spec.Type)
        {
            case ParameterType.Text when value.ValueKind != JsonValueKind.String:
            case ParameterType.Flag when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
            case ParameterType.Number or ParameterType.WholeNumber when value.ValueKind != JsonValueKind.Number:
                return Error(field, ValidationCodes.WrongType, spec, value, withKind: true);
        }

        if (spec.Allowed is { Count: > 0 } allowed && !allowed.Any(a => JsonElement.DeepEquals(a, value)))
        {
            var hint = value.ValueKind == JsonValueKind.String
                ? NameSuggestions.Hint(value.GetString()!, allowed.Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!), Quote)
                : string.Empty;
            return new ValidationError(field, ValidationCodes.NotAllowed, $"{Describe(spec)}; got {Show(value)}{hint}");
        }

        if (spec.Type is ParameterType.Number or ParameterType.WholeNumber)
        {
            if (!value.TryGetDecimal(out var number)
                || (spec.Min is { } min && number < min)
                || (spec.Max is { } max && number > max))
            {
                return Error(field, ValidationCodes.OutOfRange, spec, value);
            }
            if (!IsOnStep(spec, number))
            {
                return Error(field, ValidationCodes.NotAStep, spec, value);
            }
            wireValue = spec.Type == ParameterType.WholeNumber && number >= long.MinValue && number <= long.MaxValue
                ? JsonValue.Create((long)number)
                : JsonValue.Create(value);
            return null;
        }

        wireValue = JsonValue.Create(value);
        return null;
    }

    /// <summary>What the field accepts, e.g. <c>duration must be a whole number from 1 to 10 (step 1)</c>.</summary>
    public static string Describe(ParameterSpec spec)
    {
        if (spec.Allowed is { Count: > 0 } allowed)
        {
            return $"{spec.Name} must be one of {string.Join(", ", allowed.Select(Show))}";
        }
        return spec.Type switch
        {
            ParameterType.Text => $"{spec.Name} must be a string",
            ParameterType.Flag => $"{spec.Name} must be true or false",
            ParameterType.WholeNumber => $"{spec.Name} must be a whole number{DescribeRange(spec)}",
            _ => $"{spec.Name} must be a number{DescribeRange(spec)}",
        };
    }

    /// <summary>A JSON value as a person reads it in a message: strings quoted and shortened, containers named.</summary>
    public static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => Quote(value.GetString()!),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => Shorten(value.GetRawText(), 40),
    };

    /// <summary>A string in JSON quotes, shortened so a huge value cannot flood a message.</summary>
    public static string Quote(string text)
        => $"\"{JsonEncodedText.Encode(Shorten(text, 40), JavaScriptEncoder.UnsafeRelaxedJsonEscaping)}\"";

    /// <summary>A decimal without trailing zeros, invariant.</summary>
    public static string Format(decimal number) => number.ToString("G29", CultureInfo.InvariantCulture);

    private static string DescribeRange(ParameterSpec spec)
    {
        var range = (spec.Min, spec.Max) switch
        {
            ({ } min, { } max) => $" from {Format(min)} to {Format(max)}",
            ({ } min, null) => $" of at least {Format(min)}",
            (null, { } max) => $" of at most {Format(max)}",
            _ => string.Empty,
        };
        return spec.Step is { } step ? $"{range} (step {Format(step)})" : range;
    }

    private static bool IsOnStep(ParameterSpec spec, decimal number)
    {
        try
        {
            if (spec.Type == ParameterType.WholeNumber && number != decimal.Truncate(number))
            {
                return false;
            }
            return spec.Step is not { } step || step <= 0 || (number - (spec.Min ?? 0)) % step == 0;
        }
        catch (OverflowException)
        {
            // Only reachable with no minimum and a value near decimal's limits; such a value is not on any sane step.
            return false;
        }
    }

    private static ValidationError Error(string field, string code, ParameterSpec spec, JsonElement value, bool withKind = false)
    {
        var kind = withKind && value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
            ? $" ({KindName(value.ValueKind)})"
            : string.Empty;
        return new ValidationError(field, code, $"{Describe(spec)}; got {Show(value)}{kind}");
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };

    private static string Shorten(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
