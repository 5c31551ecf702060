using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace StartFrame.LocalDev.Logging;

/// <summary>
/// The console logs of a core hosted for a person (a CLI command, <c>startframe dev</c>'s in-process host): none unless
/// asked for — what happened is printed as outcomes and activity lines already — and then the core's information and up,
/// one line each, on stderr (stdout stays the command's).
/// </summary>
public static class ConsoleLogs
{
    /// <summary>Configures <paramref name="logging"/>: nothing, or (<paramref name="on"/>) one line per entry on stderr,
    /// with the Azure SDK's request chatter and <paramref name="quietCategories"/> kept to warnings.</summary>
    public static void Configure(ILoggingBuilder logging, bool on, params string[] quietCategories)
    {
        ArgumentNullException.ThrowIfNull(logging);
        ArgumentNullException.ThrowIfNull(quietCategories);
        logging.ClearProviders();
        if (!on)
        {
            return;
        }

        logging.AddSimpleConsole(o => o.SingleLine = true);
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Information);

        // The Azure SDK logs every request at Information and every expected 404/409 as a warning.
        logging.AddFilter("Azure", LogLevel.Error);
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        foreach (var category in quietCategories)
        {
            logging.AddFilter(category, LogLevel.Warning);
        }
    }
}
