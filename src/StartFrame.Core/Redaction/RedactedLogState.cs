using System.Collections;
using System.Globalization;

namespace StartFrame.Core.Redaction;

/// <summary>
/// A log entry's structured values with text values redacted. Numbers, dates, booleans and enums cannot carry a
/// secret and stay as they are; anything else (the message template, <c>{OriginalFormat}</c>, included: the
/// redactor leaves its <c>{Name}</c> placeholders alone) is logged by its redacted text.
/// </summary>
internal sealed class RedactedLogState : IReadOnlyList<KeyValuePair<string, object?>>
{
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

    /// <summary>The redacted copy of a log entry's <paramref name="values"/>, with its formatted, redacted message.</summary>
    public static RedactedLogState From(IEnumerable<KeyValuePair<string, object?>> values, string message, Redactor redactor) =>
        new(Redact(values, redactor), message);

    /// <summary>The redacted copy of a scope's values; its text is the scope's own (a template's "Processing 42"),
    /// redacted, or the pairs when the scope has no text of its own (a dictionary).</summary>
    public static RedactedLogState ForScope(IEnumerable<KeyValuePair<string, object?>> values, object scope, Redactor redactor)
    {
        var redacted = Redact(values, redactor);
        var own = scope.ToString();
        var text = own is null || own == scope.GetType().ToString()
            ? string.Join(", ", redacted.Select(v => $"{v.Key}:{v.Value}"))
            : redactor.Text(own);
        return new RedactedLogState(redacted, text);
    }

    // Every value, the message template too: a library may log an interpolated string as its template.
    private static KeyValuePair<string, object?>[] Redact(IEnumerable<KeyValuePair<string, object?>> values, Redactor redactor) =>
        [.. values.Select(v => new KeyValuePair<string, object?>(v.Key, Redact(v.Value, redactor)))];

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
