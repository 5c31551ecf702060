namespace StartFrame.Core.Redaction;

/// <summary>
/// An exception as a log line may carry it: when its text (type, message, stack, inner exceptions) holds a secret, it
/// is replaced by this one, whose message is that whole text redacted (so telemetry that reads only the message, as
/// Application Insights' exception records do, still gets the original type and stack); otherwise it is logged as it
/// was, with its own type.
/// </summary>
public sealed class RedactedException : Exception
{
    private readonly string _text;

    private RedactedException(string typeName, string message, string text)
        : base(message)
    {
        OriginalType = typeName;
        _text = text;
    }

    /// <summary>The full name of the exception that was replaced.</summary>
    public string OriginalType { get; }

    /// <summary><paramref name="exception"/>, or its redacted stand-in when its text holds a secret.</summary>
    public static Exception? From(Exception? exception, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        if (exception is null or RedactedException)
        {
            return exception;
        }

        var text = exception.ToString();
        var redacted = redactor.Text(text);
        return string.Equals(text, redacted, StringComparison.Ordinal)
            ? exception
            : new RedactedException(exception.GetType().FullName ?? exception.GetType().Name, redacted, redacted);
    }

    /// <inheritdoc />
    public override string ToString() => _text;
}
