using Microsoft.Extensions.Logging;

namespace StartFrame.Core.Redaction;

/// <summary>
/// A logger that passes on every entry with its secrets removed: the formatted message, each structured value (what
/// Application Insights keeps as custom dimensions), the exception's text and every scope's values. No call site has
/// to remember to redact what it logs, a provider's error text included.
/// </summary>
internal sealed class RedactingLogger(ILogger inner, Redactor redactor) : ILogger
{
    // A scope of name/value pairs (a dictionary, a message template's values) keeps its pairs, redacted; any other
    // scope is passed on as its redacted text.
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull =>
        state is IEnumerable<KeyValuePair<string, object?>> values
            ? inner.BeginScope(RedactedLogState.ForScope(values, state, redactor))
            : inner.BeginScope(redactor.Text(state.ToString() ?? ""));

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        var message = redactor.Text(formatter(state, exception));
        var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
        inner.Log(logLevel, eventId, RedactedLogState.From(values, message, redactor), RedactedException.From(exception, redactor), static (s, _) => s.Message);
    }
}
