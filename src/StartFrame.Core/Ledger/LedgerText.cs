namespace StartFrame.Core.Ledger;

/// <summary>
/// The limits of a ledger row, next to the ledger that writes it: a string property holds at most 32K UTF-16
/// characters (64 KiB; Azurite says the same), an entity 1 MiB. A record copy can be larger than one property (a task
/// record whose prompt fills the 64 KiB sidecar), so it is split across <see cref="RecordParts"/> properties; any other
/// text is bounded at the way in and cut here only as a last resort.
/// </summary>
public static class LedgerText
{
    /// <summary>Characters per string property (a little under 32K, the service's limit).</summary>
    public const int MaxPropertyChars = 32_000;

    /// <summary>Properties a record copy may span: 128,000 characters, more than any record of a 64 KiB sidecar.</summary>
    public const int RecordParts = 4;

    /// <summary>The parts of <paramref name="text"/>, each at most <see cref="MaxPropertyChars"/>, never splitting a surrogate pair.</summary>
    /// <exception cref="InvalidOperationException">The text does not fit <paramref name="parts"/> properties.</exception>
    public static string?[] Split(string? text, int parts)
    {
        var result = new string?[parts];
        var start = 0;
        for (var i = 0; i < parts && text is not null && start < text.Length; i++)
        {
            var length = Math.Min(MaxPropertyChars, text.Length - start);
            if (start + length < text.Length && char.IsHighSurrogate(text[start + length - 1]))
            {
                length--;
            }

            result[i] = text.Substring(start, length);
            start += length;
        }

        if (text is not null && start < text.Length)
        {
            throw new InvalidOperationException($"A ledger text of {text.Length} characters does not fit {parts} properties of {MaxPropertyChars}.");
        }

        return result;
    }

    /// <summary>The parts joined again; null when the first is null.</summary>
    public static string? Join(params string?[] parts) => parts.Length == 0 || parts[0] is null ? null : string.Concat(parts);

    /// <summary><paramref name="text"/> within one property (cut with an ellipsis), for texts that are not records.</summary>
    public static string? Fit(string? text) => text is null ? null : Records.RecordLimits.Cut(text, MaxPropertyChars);
}
