using System.Text.Json;
using System.Text.Json.Nodes;

namespace StartFrame.Core.Validation;

/// <summary>
/// JSON from outside (an HTTP body, a queue message, a record an operator looks at, a <c>--set</c> value) read as we
/// mean JSON: a name given twice is an error of the text, not a value that silently wins — and not an
/// <see cref="ArgumentException"/> later, when a <see cref="JsonObject"/> holding both is first touched.
/// </summary>
public static class StrictJson
{
    /// <summary>Duplicate property names refused at parse time.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new() { AllowDuplicateProperties = false };

    /// <summary>Parses <paramref name="utf8Json"/>; a duplicate name is a <see cref="JsonException"/> like any other text
    /// that is not JSON.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            return JsonNode.Parse(utf8Json, documentOptions: DocumentOptions);
        }
        catch (InvalidOperationException)
        {
            // The duplicate check decodes names, and a lone surrogate escape in one cannot be decoded: parsed without
            // the check, the text checks downstream name the field and say invalid_encoding, as for a value.
            return JsonNode.Parse(utf8Json);
        }
    }

    /// <summary>Parses <paramref name="json"/> as <see cref="Parse(ReadOnlySpan{byte})"/> does.</summary>
    public static JsonNode? Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            return JsonNode.Parse(json, documentOptions: DocumentOptions);
        }
        catch (InvalidOperationException)
        {
            return JsonNode.Parse(json); // as above: a name with a lone surrogate is reported as invalid_encoding downstream
        }
    }
}
