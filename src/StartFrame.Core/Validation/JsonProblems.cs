using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace StartFrame.Core.Validation;

/// <summary>
/// What is wrong with text that is not JSON, in plain words and where (line and byte), for every <c>invalid_json</c>
/// message (sidecars, HTTP bodies, queue messages, <c>upload --set</c>). The reader's own messages speak of its internals
/// ("…not supported in this mode. Change the reader options"), which a person editing a file cannot act on.
/// </summary>
public static partial class JsonProblems
{
    /// <summary>"the sidecar is not valid JSON: a trailing comma before the closing bracket (remove it), at line 3, byte 18".</summary>
    /// <param name="what">What was read, as the sentence's subject (<c>the sidecar</c>, <c>the body</c>, <c>the message</c>).</param>
    /// <param name="exception">The reader's exception.</param>
    public static string Describe(string what, JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var where = exception.LineNumber is { } line
            ? string.Create(CultureInfo.InvariantCulture, $", at line {line + 1}, byte {(exception.BytePositionInLine ?? 0) + 1}")
            : "";
        return $"{what} is not valid JSON: {Plain(exception.Message)}{where}";
    }

    /// <summary>The reader's message as what a person would fix.</summary>
    private static string Plain(string message)
    {
        var token = TokenPattern().Match(message) is { Success: true } found ? found.Groups["token"].Value : null;
        return message switch
        {
            _ when message.Contains("trailing comma", StringComparison.Ordinal) => "a trailing comma before a closing bracket (remove it)",
            _ when token is "/" => "a comment (JSON has none; remove it)",
            _ when message.StartsWith("Duplicate property", StringComparison.Ordinal) && DuplicatePattern().Match(message) is { Success: true } duplicate =>
                $"the field \"{duplicate.Groups["name"].Value}\" is given twice (keep one)",
            _ when message.Contains("invalid start of a property name", StringComparison.Ordinal) => "a field name that is not in double quotes",
            _ when message.Contains("invalid after a property name", StringComparison.Ordinal) => "a missing ':' after a field name",
            _ when message.Contains("invalid after a value", StringComparison.Ordinal) => "a missing ',' between two values (or a missing closing bracket)",
            _ when message.Contains("invalid after a single JSON value", StringComparison.Ordinal) => "more text after the end of the JSON value (remove it)",
            _ when token is "'" => "text in single quotes (JSON text needs double quotes)",
            _ when message.Contains("invalid start of a value", StringComparison.Ordinal) =>
                $"'{token}' cannot start a value (text needs double quotes; the other values are numbers, true, false, null, {{...}} and [...])",
            _ when message.Contains("invalid JSON literal", StringComparison.Ordinal) => "a misspelt true, false or null",
            _ when message.Contains("leading zero", StringComparison.Ordinal) => "a number with a leading zero",
            _ when message.Contains("invalid within a JSON string", StringComparison.Ordinal) => "a tab or line break inside text (write it as \\t or \\n)",
            _ when message.Contains("invalid escapable character", StringComparison.Ordinal) => "an unknown backslash escape inside text (a backslash itself is \\\\)",
            _ when message.Contains("without a matching open", StringComparison.Ordinal) => "a closing bracket that does not match the one opened",
            _ when message.Contains("end of data", StringComparison.Ordinal) || message.Contains("invalid end of a number", StringComparison.Ordinal)
                || message.Contains("depth to be zero", StringComparison.Ordinal) => "it ends too early (an unclosed text, {...} or [...])",
            _ => "it cannot be read as JSON",
        };
    }

    // The reader quotes the offending character first: "'/' is invalid after a value."
    [GeneratedRegex("^'(?<token>[^']+|')' is", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex("^Duplicate property '(?<name>.*)' encountered", RegexOptions.CultureInvariant)]
    private static partial Regex DuplicatePattern();
}
