using System.CommandLine;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Pipeline;

namespace StartFrame.Cli.Commands;

/// <summary><c>startframe process &lt;container&gt;/&lt;blob&gt;...</c>: runs the core on uploaded blobs, exactly as the trigger does.</summary>
internal static class ProcessCommand
{
    public static Command Create()
    {
        var blobs = new Argument<string[]>("blobs")
        {
            Description = "Blobs to process, as <container>/<blob> (an image or a sidecar).",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("process", """
            Process uploaded blobs now, in order, through the same core as the blob trigger (idempotent: an already
            submitted blob is not sent again). Prints one outcome JSON object per line.
            Example: startframe process start-frames/cats/cat.png
            """);
        command.Arguments.Add(blobs);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(blobs)!, null, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>Processes <paramref name="addresses"/>; also used by <c>demo</c> with its own configuration.</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> addresses,
        IReadOnlyDictionary<string, string?>? configuration,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        using var host = await CliHost.StartAsync(configuration, cancellationToken).ConfigureAwait(false);
        var service = host.Services.GetRequiredService<BlobServiceClient>();
        var processor = host.Services.GetRequiredService<IStartFrameProcessor>();
        var printer = new OutcomePrinter(output);
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
