using System.Text.Json;
using System.Text.Json.Nodes;
using StartFrame.Core.Problems;
using StartFrame.Core.Records;

namespace StartFrame.Core.WaysIn;

/// <summary>
/// The limits of what an HTTP body, a queue message or <c>startframe submit</c> may carry besides the sidecar
/// fields, checked before anything is claimed: an idempotency key (its hash keys the ledger, so the limit is for
/// people, not the store), an image URL (what ModelStream is asked to download) and a correlation id.
/// </summary>
public static class SubmissionLimits
{
    /// <summary>The longest idempotency key, in characters.</summary>
    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>The longest image URL, in characters (as given, and as it is sent once escaped).</summary>
    public const int MaxImageUrlLength = 2048;

    /// <summary>
    /// Text that is not valid UTF-16 (a lone <c>\uD800</c> escape) in any key or value of the body: it cannot be written
    /// as UTF-8 to ModelStream or into a record, so it is refused here, as the sidecar reader refuses it.
    /// </summary>
    public static IReadOnlyList<RecordError> CheckText(JsonNode? node, string path = "")
    {
        var errors = new List<RecordError>();
        Walk(node, path, errors);
        return errors;
    }

    private static void Walk(JsonNode? node, string path, List<RecordError> errors)
    {
        switch (node)
        {
            case JsonObject obj:
                List<KeyValuePair<string, JsonNode?>> properties;
                try
                {
                    properties = [.. obj];
                }
                catch (InvalidOperationException)
                {
                    errors.Add(new RecordError(path.Length == 0 ? "body" : path, ValidationCodes.InvalidEncoding, NotText));
                    return;
                }

                foreach (var (name, value) in properties)
                {
                    Walk(value, RecordLimits.Cut(path.Length == 0 ? name : $"{path}.{name}", RecordLimits.MaxFieldLength), errors);
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Walk(array[i], $"{path}[{i}]", errors);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                // The parser keeps strings as written and unescapes them on first read, which throws for a lone surrogate.
                string? text;
                try
                {
                    text = value.GetValue<string>();
                }
                catch (InvalidOperationException)
                {
                    text = null;
                }

                if (text is null || !IsText(text))
                {
                    errors.Add(new RecordError(path, ValidationCodes.InvalidEncoding, NotText));
                }

                break;
        }
    }

    private const string NotText = "the text contains a lone UTF-16 surrogate (a \\uD800-style escape without its pair), which is not text";

    // Valid UTF-16: every surrogate in a high-low pair.
    private static bool IsText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Every problem with the caller's idempotency key and correlation id (none: empty).</summary>
    public static IReadOnlyList<RecordError> Check(string? idempotencyKey, string? correlationId, string keyField)
    {
        var errors = new List<RecordError>();
        if (idempotencyKey is not null)
        {
            if (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength)
            {
                errors.Add(new RecordError(keyField, ValidationCodes.TooLong, $"the idempotency key must be 1 to {MaxIdempotencyKeyLength} characters; got {idempotencyKey.Length:N0}"));
            }
            else if (idempotencyKey.Any(char.IsControl))
            {
                errors.Add(new RecordError(keyField, ValidationCodes.NotAllowed, "the idempotency key must not contain control characters (line breaks, tabs, …)"));
            }
        }

        if (correlationId is not null && CorrelationIds.Problem(correlationId) is { } problem)
        {
            errors.Add(new RecordError(SubmissionFields.CorrelationId, ValidationCodes.NotAllowed, problem));
        }

        return errors;
    }
}
