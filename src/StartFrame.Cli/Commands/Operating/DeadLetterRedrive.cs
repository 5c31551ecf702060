using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.Redrives;

namespace StartFrame.Cli.Commands.Operating;

/// <summary>
/// <c>startframe redrive --dead-letter [container]</c>: the BlobCreated events Event Grid could not deliver, run through
/// the core as the blob trigger would. Prints a line per event (a JSON object per line with --json or when redirected)
/// and a summary; dead-letter blobs are never deleted, only marked in metadata once every event in them is handled.
/// </summary>
internal static class DeadLetterRedrive
{
    public const string DefaultContainer = StartFrameOptions.DeadLetterContainer;

    public static async Task<int> RunAsync(string container, bool dryRun, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var host = await CommandCore.TryStartAsync(error, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        var redriver = ActivatorUtilities.CreateInstance<DeadLetterRedriver>(host.Services);
        var reader = redriver.Reader(container);
        var report = new Report(output, OutcomeReporter.WantsJson(json, output));
        try
        {
            if (!(await reader.Container.ExistsAsync(cancellationToken).ConfigureAwait(false)).Value)
            {
                await error.WriteLineAsync($"redrive: there is no container '{container}': nothing has been dead-lettered into it (infra/ creates {DefaultContainer}), or the name is wrong.").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await foreach (var deadLetters in reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var (results, marked) = await redriver.RedriveAsync(reader, deadLetters, dryRun, cancellationToken).ConfigureAwait(false);
                report.Add(deadLetters, results, marked);
            }
        }
        catch (Exception ex) when (CliFailure.IsStorage(ex))
        {
            await error.WriteLineAsync(CliFailure.StorageFailed("redrive", ex, "nothing is deleted, run the same command again.")).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await (report.Json ? error : output).WriteLineAsync(report.Summary(container, dryRun)).ConfigureAwait(false);
        return report.ExitCode;
    }

    /// <summary>Lines for people or JSON lines for scripts, and the counts behind the summary and the exit code.</summary>
    private sealed class Report(TextWriter output, bool json)
    {
        private int _events;
        private int _blobs;
        private int _marked;
        private int _failed;
        private int _rejected;

        public bool Json => json;

        /// <summary>0 when every event was handled, 2 when any was refused (or its upload rejected), 1 on any failure.</summary>
        public int ExitCode => _failed > 0 ? ExitCodes.Failure : _rejected > 0 ? ExitCodes.Rejected : ExitCodes.Ok;

        public void Add(DeadLetterBlob deadLetters, IReadOnlyList<DeadLetterRedriveResult> results, bool marked)
        {
            _blobs++;
            _marked += marked ? 1 : 0;
            foreach (var result in results)
            {
                _events += result.Status == DeadLetterStatus.Unreadable ? 0 : 1;
                _failed += result.IsFailure ? 1 : 0;
                _rejected += result.IsRejected ? 1 : 0;
                output.WriteLine(json ? JsonText.Line(result, CliJsonContext.Default.DeadLetterRedriveResult) : Line(result, deadLetters.RedrivenAt));
            }
        }

        public string Summary(string container, bool dryRun)
        {
            var events = $"{_events} dead-lettered {(_events == 1 ? "event" : "events")} in {_blobs} {(_blobs == 1 ? "blob" : "blobs")} of {container}";
            return dryRun
                ? $"{events}; dry run, nothing changed."
                : $"{events}: {_events - _failed - _rejected} handled, {_rejected} refused, {_failed} failed; {_marked} blobs marked with metadata "
                  + $"{DeadLetterReader.RedrivenAtMetadata} (dead-letter blobs are never deleted).";
        }

        private static string Line(DeadLetterRedriveResult result, DateTimeOffset? redrivenAt)
        {
            var facts = new List<string>();
            if (result.DeadLetterReason is not null)
            {
                facts.Add($"{result.DeadLetterReason} after {result.DeliveryAttempts?.ToString(CultureInfo.InvariantCulture) ?? "?"} attempts");
            }

            if (result.LastDeliveryOutcome is not null)
            {
                facts.Add($"last {result.LastDeliveryOutcome}{(result.LastHttpStatusCode is { } code ? $" {code}" : "")}");
            }

            if (result.PublishTime is { } published)
            {
                facts.Add(published.UtcDateTime.ToString("'published 'yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            }

            if (redrivenAt is { } at)
            {
                facts.Add(at.UtcDateTime.ToString("'redriven before 'yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            }

            var line = $"{result.Status.Replace('_', ' '),-18}{result.Blob ?? result.DeadLetterBlob}";
            line += facts.Count > 0 ? $" ({string.Join(", ", facts)})" : "";
            line += result.TaskId is { } taskId ? $" -> task {taskId}" : result.Detail is { } detail ? $": {detail}" : "";
            foreach (var error in result.Outcome?.Errors ?? [])
            {
                line += $"{Environment.NewLine}{"",-18}  {ErrorLines.Format(error)}";
            }

            return line;
        }
    }
}
