using System.CommandLine;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Pipeline;

namespace StartFrame.Cli.Commands;

/// <summary><c>startframe process &lt;container&gt;/&lt;blob&gt;... [--json]</c>: runs the core on uploaded blobs, exactly as the trigger does.</summary>
internal static class ProcessCommand
{
    public static Command Create()
    {
        var blobs = new Argument<string[]>("blobs")
        {
            Description = "Blobs to process, as <container>/<blob> (an image or a sidecar).",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print one outcome JSON object per line (also the default when stdout is not a terminal)." };
        var command = new Command("process", """
            Process uploaded blobs now, in order, through the same core as the blob trigger (idempotent: an already
            submitted blob is not sent again). Prints one outcome per blob: a line on a terminal, a JSON object per
            line with --json or when the output is redirected.
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
        using var host = await CliHost.StartAsync(configuration, cancellationToken).ConfigureAwait(false);
        var service = host.Services.GetRequiredService<BlobServiceClient>();
        var processor = host.Services.GetRequiredService<IStartFrameProcessor>();
        var printer = new OutcomeReporter(output, json);
        foreach (var address in addresses)
        {
            if (!BlobAddress.TryResolve(service, address, out var blob, out var problem))
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            try
            {
                printer.Print(await processor.ProcessBlobAsync(blob!, null, cancellationToken).ConfigureAwait(false));
            }
            catch (TransientSubmissionException ex)
            {
                printer.PrintFailure("transient_failure", address, ex.Message + " Run the same command again later.");
            }
        }

        return printer.ExitCode;
    }
}
