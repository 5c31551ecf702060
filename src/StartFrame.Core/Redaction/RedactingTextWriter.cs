using System.Text;
namespace StartFrame.Core.Redaction;

/// <summary>
/// A text writer whose every line passes through the <see cref="Redactor"/> (the CLI's standard output and error):
/// every line a command prints (outcomes, records, service messages, errors) is redacted as a whole before it reaches
/// the console, so no command can leak the API key, a SAS signature or a URL password by forgetting to. A line ends at <c>\n</c> or <c>\r</c>
/// (the progress bar redraws with <c>\r</c>).
/// </summary>
public sealed class RedactingTextWriter(TextWriter inner, Redactor redactor) : TextWriter
{
    private readonly StringBuilder _line = new();

    /// <summary>The writer underneath (the console's, when a person may be reading).</summary>
    public TextWriter Inner { get; } = inner;

    /// <inheritdoc />
    public override Encoding Encoding => Inner.Encoding;

    /// <summary>True when <paramref name="writer"/> is <paramref name="console"/>, directly or through a <see cref="RedactingTextWriter"/>.</summary>
    public static bool Wraps(TextWriter writer, TextWriter console) =>
        ReferenceEquals(writer, console) || (writer is RedactingTextWriter redacting && ReferenceEquals(redacting.Inner, console));

    /// <inheritdoc />
    public override void Write(char value)
    {
        _line.Append(value);
        if (value is '\n' or '\r')
        {
            FlushLine();
        }
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        foreach (var c in value ?? "")
        {
            Write(c);
        }
    }

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        for (var i = index; i < index + count; i++)
        {
            Write(buffer[i]);
        }
    }

    /// <inheritdoc />
    public override void Flush()
    {
        FlushLine();
        Inner.Flush();
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    private void FlushLine()
    {
        if (_line.Length == 0)
        {
            return;
        }

        Inner.Write(redactor.Text(_line.ToString()));
        _line.Clear();
        Inner.Flush();
    }
}
