using System.Text;

namespace StartFrame.Core.Records;

/// <summary>
/// How much of its input a failure record echoes, so that every failure record fits a queue message and a ledger
/// property whatever the input was (a sidecar of 1,000 unknown fields, a field name of 60,000 characters, a service
/// error code of any shape): the first <see cref="MaxErrors"/> errors that fit <see cref="MaxErrorsBytes"/> (at least
/// one) plus the total in <c>errorCount</c>, each text cut at its limit with an ellipsis, codes reduced to <c>[a-z0-9_]</c>.
/// With the other fields bounded at the way in (names 1,024 characters, URLs 2,048, correlation ids 128) a failure
/// record stays under 40 KiB of UTF-8 and 32,000 characters: inline on its queue and in one ledger property.
/// </summary>
public static class RecordLimits
{
    /// <summary>Errors a failure record lists; <c>errorCount</c> says how many there were in all.</summary>
    public const int MaxErrors = 50;

    /// <summary>Characters of an error's <c>field</c>.</summary>
    public const int MaxFieldLength = 256;

    /// <summary>Characters of an error's <c>code</c>.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>Characters of an error's <c>message</c>.</summary>
    public const int MaxMessageLength = 1024;

    /// <summary>UTF-8 bytes the listed errors may take together.</summary>
    public const int MaxErrorsBytes = 24 * 1024;

    /// <summary>The mark a shortened text ends with.</summary>
    public const string Ellipsis = "…";

    /// <summary>The first errors that fit <see cref="MaxErrors"/> and <see cref="MaxErrorsBytes"/> (always the first one), each within the limits.</summary>
    public static IReadOnlyList<RecordError> Bound(IReadOnlyList<RecordError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var bounded = new List<RecordError>(Math.Min(errors.Count, MaxErrors));
        var bytes = 0;
        foreach (var error in errors.Take(MaxErrors))
        {
            var cut = new RecordError(
                Cut(error.Field, MaxFieldLength) is { Length: > 0 } field ? field : "request",
                Code(error.Code),
                Cut(error.Message, MaxMessageLength) is { Length: > 0 } message ? message : "(no message)");
            bytes += Encoding.UTF8.GetByteCount(cut.Field) + Encoding.UTF8.GetByteCount(cut.Message) + cut.Code.Length;
            if (bounded.Count > 0 && bytes > MaxErrorsBytes)
            {
                break;
            }

            bounded.Add(cut);
        }

        return bounded;
    }

    /// <summary><paramref name="text"/> cut to at most <paramref name="maxLength"/> characters, ending in an ellipsis when cut
    /// (never between the two halves of a surrogate pair).</summary>
    public static string Cut(string? text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, Ellipsis.Length + 1);
        if (text is null || text.Length <= maxLength)
        {
            return text ?? "";
        }

        var keep = maxLength - Ellipsis.Length;
        if (char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), Ellipsis);
    }

    /// <summary>A stable error code made of <c>[a-z0-9_]</c>, whatever a service sent (never empty).</summary>
    public static string Code(string? code)
    {
        var normalized = new StringBuilder(Math.Min(code?.Length ?? 0, MaxCodeLength));
        foreach (var c in code ?? "")
        {
            var lower = char.ToLowerInvariant(c);
            var keep = lower is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (keep)
            {
                normalized.Append(lower);
            }
            else if (normalized.Length > 0 && normalized[^1] != '_')
            {
                normalized.Append('_');
            }

            if (normalized.Length >= MaxCodeLength)
            {
                break;
            }
        }

        var result = normalized.ToString().Trim('_');
        return result.Length == 0 ? "unknown" : result;
    }
}
