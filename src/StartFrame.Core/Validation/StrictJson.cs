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
            // The parser's duplicate check decodes names, and a lone surrogate escape in one cannot be decoded. Our own
            // check compares such a name by its raw text; without a duplicate, the text checks downstream name the
            // field and say invalid_encoding, as for a value.
            RefuseDuplicateNames(utf8Json);
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
            var utf8 = System.Text.Encoding.UTF8.GetBytes(json);
            RefuseDuplicateNames(utf8); // as above: a name with a lone surrogate is reported as invalid_encoding downstream
            return JsonNode.Parse(utf8);
        }
    }

    /// <summary>Throws a <see cref="JsonException"/> when an object of <paramref name="utf8Json"/> names a property twice,
    /// comparing names by their decoded text, or by their raw text where it cannot be decoded.</summary>
    private static void RefuseDuplicateNames(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        var objects = new Stack<HashSet<string>?>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    objects.Push(new HashSet<string>(StringComparer.Ordinal));
                    break;
                case JsonTokenType.StartArray:
                    objects.Push(null);
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    objects.Pop();
                    break;
                case JsonTokenType.PropertyName:
                    string name;
                    try
                    {
                        name = "=" + reader.GetString();
                    }
                    catch (InvalidOperationException)
                    {
                        name = "~" + Convert.ToHexString(reader.ValueSpan);
                    }

                    if (!objects.Peek()!.Add(name))
                    {
                        throw new JsonException($"The property name at {reader.TokenStartIndex} is given twice in one object.");
                    }

                    break;
            }
        }
    }
}
