using System.CommandLine;
using Microsoft.Extensions.Logging;
using StartFrame.LocalDev.Logging;

namespace StartFrame.Cli;

/// <summary>
/// The console logs of the core a command hosts: none by default — every command prints its outcome itself, so a
/// <c>warn</c> line per refusal (or Polly's exception during an outage) would only say it again — and, with the global
/// <c>--verbose</c>, the core's information and up on stderr, one line each (stdout stays the command's).
/// </summary>
internal static class CliLogging
{
    /// <summary>The global option, on every command.</summary>
    public static Option<bool> Option { get; } = new("--verbose")
    {
        Description = "Show the core's logs on stderr (what it reads, submits and writes); without it only the outcome is printed.",
        Recursive = true,
    };

    /// <summary>Set once per process from the command line, before the command runs.</summary>
    public static bool Verbose { get; set; }

    /// <summary>Configures <paramref name="logging"/> for a command: nothing, or (verbose) one line per entry on stderr.</summary>
    public static void Configure(ILoggingBuilder logging, bool verbose)
        => ConsoleLogs.Configure(logging, verbose, "Microsoft.Extensions.Hosting");
}
