using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Pipeline;
using StartFrame.Cli.Commands.Output;

namespace StartFrame.Cli.Commands.Operating;

/// <summary><c>startframe process start-frames/&lt;blob&gt;... [--json]</c>: runs the core on uploaded blobs, exactly as the trigger does.</summary>
internal static class ProcessCommand
{
    public static Command Create()
    {
        var blobs = new Argument<string[]>("blobs")
        {
            Description = "Blobs to process, as start-frames/<blob> (an image or a sidecar).",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print one outcome JSON object per line (also the default when stdout is not a terminal)." };
        var command = new Command("process", """
            Process uploaded blobs now, in order, through the same core as the blob trigger (idempotent: an already
            submitted blob is not sent again). Prints one outcome per blob: a line on a terminal, a JSON object per
            line with --json or when the output is redirected. Exit codes: 0 submitted or already done, 2 refused
            (or an address that is not start-frames/<blob>), 1 failed, ambiguous, or another run is submitting it
            (in_progress: run again after retryAfterSeconds).
            Example: startframe process start-frames/cats/cat.png
            """);
        command.Arguments.Add(blobs);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(blobs)!, null, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>Processes <paramref name="addresses"/> printing JSON lines; used by <c>demo</c> with its own configuration.</summary>
    public static Task<int> RunAsync(
        IReadOnlyList<string> addresses,
        IReadOnlyDictionary<string, string?>? configuration,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
        => RunAsync(addresses, configuration, json: true, output, error, cancellationToken);

    private static async Task<int> RunAsync(
        IReadOnlyList<string> addresses,
        IReadOnlyDictionary<string, string?>? configuration,
        bool json,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        // Every address is checked before anything is touched: a bad one is the user's to fix (exit 2).
        if (addresses.Select(BlobAddress.Problem).FirstOrDefault(p => p is not null) is { } problem)
        {
            await error.WriteLineAsync($"process: {problem}").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        using var host = await CoreHost.TryStartAsync(error, cancellationToken, configuration).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        var service = host.Services.GetRequiredService<Azure.Storage.Blobs.BlobServiceClient>();
        var processor = host.Services.GetRequiredService<IStartFrameProcessor>();
        var printer = new OutcomeReporter(output, json);
        foreach (var address in addresses)
        {
            if (!BlobAddress.TryResolve(service, address, out var blob, out var unresolved))
            {
                await error.WriteLineAsync($"process: {unresolved}").ConfigureAwait(false);
                return ExitCodes.Rejected;
            }

            try
            {
                printer.Print(await processor.ProcessBlobAsync(blob, null, cancellationToken).ConfigureAwait(false));
            }
            catch (TransientSubmissionException ex)
            {
                var wait = ex.RetryAfter is { } after ? $" after {Math.Ceiling(after.TotalSeconds)} s" : " later";
                printer.PrintFailure("transient_failure", address, $"{ex.Message} Run the same command again{wait}.");
            }
        }

        return printer.ExitCode;
    }
}
