using System.CommandLine;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.Submitting;
using StartFrame.Core.Uploads;
using StartFrame.Core.WaysIn;

namespace StartFrame.Cli.Commands.Operating;

/// <summary>
/// <c>startframe process start-frames/&lt;blob&gt;|start-frames/&lt;folder&gt;/... [--json]</c>: runs the core on uploaded blobs,
/// exactly as the trigger does; a folder runs every image under it.
/// </summary>
internal static class ProcessCommand
{
    public static Command Create()
    {
        var blobs = new Argument<string[]>("blobs")
        {
            Description = "Blobs to process, as start-frames/<blob> (an image or a sidecar), or folders as start-frames/<folder>/ (every image under it).",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Print one outcome JSON object per line (also the default when stdout is not a terminal)." };
        var command = new Command("process", """
            Process uploaded blobs now, in order, through the same core as the blob trigger (idempotent: an already
            submitted blob is not sent again). A folder, written with its trailing slash, runs every image under it, in
            name order, and says what it skipped (sidecars are read with their images; other blobs are not start frames).
            Prints one outcome per blob: a line on a terminal, a JSON object per line with --json or when the output is
            redirected. Exit codes: 0 submitted or already done, 2 refused, not found (or an address that is not
            start-frames/<blob>), 1 failed, ambiguous, or another run is submitting it (in_progress: run again after
            retryAfterSeconds).
            Example: startframe process start-frames/cats/cat.png
            Example: startframe process start-frames/batch1/
            """);
        command.Arguments.Add(blobs);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(blobs)!, null, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>Processes <paramref name="addresses"/> with its own configuration (the demo's); <paramref name="json"/> as <c>--json</c>.</summary>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> addresses,
        IReadOnlyDictionary<string, string?>? configuration,
        bool json,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        // Every address is checked before anything is touched: a bad one is the user's to fix (exit 2).
        var problem = addresses
            .Select(a => BlobAddress.IsFolder(a) ? BlobAddress.FolderProblem(a, out _) : BlobAddress.Problem(a))
            .FirstOrDefault(p => p is not null);
        if (problem is not null)
        {
            await error.WriteLineAsync($"process: {problem}").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        using var host = await CommandCore.TryStartAsync(error, cancellationToken, configuration).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        var service = host.Services.GetRequiredService<BlobServiceClient>();
        var run = new ProcessRun(service, host.Services.GetRequiredService<IBlobUploads>(), new OutcomeReporter(output, json), error);
        foreach (var address in addresses)
        {
            if (BlobAddress.IsFolder(address))
            {
                BlobAddress.FolderProblem(address, out var prefix);
                await run.FolderAsync(prefix, cancellationToken).ConfigureAwait(false);
            }
            else if (!BlobAddress.TryResolve(service, address, out var blob, out var unresolved))
            {
                await error.WriteLineAsync($"process: {unresolved}").ConfigureAwait(false);
                return ExitCodes.Rejected;
            }
            else
            {
                await run.BlobAsync(blob, address, cancellationToken).ConfigureAwait(false);
            }
        }

        return run.ExitCode;
    }

    /// <summary>One <c>process</c> invocation: each blob through the core, each folder listed and its images run, and the printing.</summary>
    private sealed class ProcessRun(BlobServiceClient service, IBlobUploads processor, OutcomeReporter printer, TextWriter error)
    {
        private readonly BlobContainerClient _uploads = service.GetBlobContainerClient(StartFrameOptions.UploadsContainer);

        /// <summary>0 when all were submitted or done, 2 when any was refused or not found, 1 on any failure.</summary>
        public int ExitCode => printer.ExitCode;

        public async Task BlobAsync(BlobClient blob, string address, CancellationToken cancellationToken)
        {
            // The trigger only fires for blobs that exist; a name typed by hand may not be one (exit 2, not "gone").
            if (!(await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                var folder = await UploadFolder.AnyAsync(_uploads, blob.Name + "/", cancellationToken).ConfigureAwait(false);
                printer.PrintNotFound(address, folder
                    ? $"there is no blob {address}, but a folder: to run every image in it, write {address}/"
                    : $"there is no blob {address} (names are case-sensitive; startframe tasks --prefix lists what was uploaded)");
                return;
            }

            await RunAsync(blob, address, cancellationToken).ConfigureAwait(false);
        }

        public async Task FolderAsync(string prefix, CancellationToken cancellationToken)
        {
            var where = $"{StartFrameOptions.UploadsContainer}/{prefix}";
            var (images, sidecars, others) = (0, 0, 0);
            await foreach (var entry in UploadFolder.ListAsync(_uploads, prefix, cancellationToken).ConfigureAwait(false))
            {
                var address = $"{StartFrameOptions.UploadsContainer}/{entry.Name}";
                switch (entry.Kind)
                {
                    case UploadKind.Image:
                        images++;
                        await RunAsync(_uploads.GetBlobClient(entry.Name), address, cancellationToken).ConfigureAwait(false);
                        break;
                    case UploadKind.Sidecar:
                        sidecars++;
                        printer.PrintSkipped(address, "a sidecar: it is read when its image is processed");
                        break;
                    default:
                        others++;
                        printer.PrintSkipped(address, "not a start frame (png, jpg, jpeg, webp) nor a sidecar");
                        break;
                }
            }

            if (images == 0)
            {
                printer.PrintNotFound(where, $"no images under {where}" + (sidecars + others > 0 ? $" ({sidecars + others} other blobs, skipped)" : " (the folder is empty or does not exist)"));
                return;
            }

            // People read the summary under the lines; with --json it goes to stderr, so stdout stays one object per line.
            await (printer.Json ? error : printer.Output).WriteLineAsync(
                $"{where}: {images} {(images == 1 ? "image" : "images")} processed; skipped {sidecars} {(sidecars == 1 ? "sidecar" : "sidecars")} (read with their images) and {others} other {(others == 1 ? "blob" : "blobs")}.").ConfigureAwait(false);
        }

        private async Task RunAsync(BlobClient blob, string address, CancellationToken cancellationToken)
        {
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
    }
}
