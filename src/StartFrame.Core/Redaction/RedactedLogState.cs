using System.Collections;
using System.Globalization;

namespace StartFrame.Core.Redaction;

/// <summary>
/// A log entry's structured values with text values redacted. Numbers, dates, booleans and enums cannot carry a
/// secret and stay as they are; anything else is logged by its redacted text. The message template
/// (<c>{OriginalFormat}</c>) is the code's own text and is kept.
/// </summary>
internal sealed class RedactedLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string OriginalFormat = "{OriginalFormat}";
    private readonly KeyValuePair<string, object?>[] _values;

    private RedactedLogState(KeyValuePair<string, object?>[] values, string message)
    {
        _values = values;
        Message = message;
    }

    /// <summary>The formatted, redacted message.</summary>
    public string Message { get; }

    public int Count => _values.Length;

    public KeyValuePair<string, object?> this[int index] => _values[index];

    /// <summary>The redacted copy of <paramref name="values"/>; <paramref name="message"/> null for a scope.</summary>
    public static RedactedLogState From(IReadOnlyList<KeyValuePair<string, object?>> values, string? message, Redactor redactor)
    {
        var redacted = new KeyValuePair<string, object?>[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            var (name, value) = values[i];
            redacted[i] = new KeyValuePair<string, object?>(name, name == OriginalFormat ? value : Redact(value, redactor));
        }

        return new RedactedLogState(redacted, message ?? string.Join(", ", redacted.Select(v => $"{v.Key}:{v.Value}")));
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;

    private static object? Redact(object? value, Redactor redactor) => value switch
    {
        null => null,
        string text => redactor.Text(text),
        Enum or bool or char or DateTime or DateTimeOffset or TimeSpan or Guid => value,
        IFormattable and not Uri when value.GetType().IsPrimitive || value is decimal => value,
        IEnumerable sequence and not string => redactor.Text(string.Join(", ", sequence.Cast<object?>().Select(item => Convert.ToString(item, CultureInfo.InvariantCulture)))),
        _ => redactor.Text(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
