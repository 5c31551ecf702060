using Microsoft.Extensions.Logging;

namespace StartFrame.Core.Redaction;

/// <summary>
/// The process's <see cref="ILoggerFactory"/>, with every logger it hands out redacting what it writes. Sitting in
/// front of the factory rather than each provider, it covers every provider (the Functions worker's, Application
/// Insights', the console's, a test's), whenever and in whatever order they are added.
/// </summary>
/// <param name="inner">The factory every logger comes from.</param>
/// <param name="redactor">What every entry passes through.</param>
/// <param name="ownsInner">False when the inner factory was registered as an instance, which the container never disposed.</param>
public sealed class RedactingLoggerFactory(ILoggerFactory inner, Redactor redactor, bool ownsInner = true) : ILoggerFactory
{
    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName), redactor);

    /// <inheritdoc />
    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsInner)
        {
            inner.Dispose();
        }
    }
}
