using Microsoft.Extensions.DependencyInjection;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.Redrives;

namespace StartFrame.Cli.Commands.Operating;

/// <summary>
/// <c>startframe redrive --owed</c>: the sweep of OwedRecordsDue, now and without its grace period — writes the records
/// (and first tracking messages) the ledger owes after a queue outage. Never submits anything. A line per debt (a JSON
/// object per line with --json or when redirected) and a summary.
/// </summary>
internal static class OwedRedrive
{
    public static async Task<int> RunAsync(bool dryRun, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var host = await CommandCore.TryStartForStorageAsync(error, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        json = OutcomeReporter.WantsJson(json, output);
        IReadOnlyList<OwedSweepItem> items;
        try
        {
            items = await host.Services.GetRequiredService<IOwedRecordSweeper>().SweepAsync(TimeSpan.Zero, dryRun, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CliFailure.IsStorage(ex))
        {
            await error.WriteLineAsync(CliFailure.StorageFailed("redrive", ex, "nothing was lost, run the same command again.")).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        foreach (var item in items)
        {
            await output.WriteLineAsync(json ? JsonText.Line(item, CliJsonContext.Default.OwedSweepItem) : Line(item)).ConfigureAwait(false);
        }

        var stillOwed = items.Count(i => i.Outcome == OwedSweepOutcomes.StillOwed);
        var summary = dryRun
            ? $"{items.Count(i => i.Outcome == OwedSweepOutcomes.WouldWrite)} owed {Plural(items.Count, "record")} would be written; dry run, nothing changed."
            : $"{items.Count(i => i.Outcome == OwedSweepOutcomes.Written)} owed written, {items.Count(i => i.Outcome == OwedSweepOutcomes.Settled)} already settled, "
              + $"{stillOwed} still owed (storage failing: run again later); nothing was submitted.";
        await (json ? error : output).WriteLineAsync(items.Count == 0 ? $"Nothing is owed (table {StartFrameOptions.OwedRecordsTable} is empty)." : summary).ConfigureAwait(false);
        return stillOwed > 0 ? ExitCodes.Failure : ExitCodes.Ok;
    }

    private static string Line(OwedSweepItem item)
    {
        var line = $"{item.Outcome.Replace('_', ' '),-12}{item.Subject}";
        line += item.TaskId is { } taskId ? $" (task {taskId})" : "";
        line += item.Queue is { } queue ? $" -> {queue}" : "";
        return line + (item.Detail is { } detail ? $": {detail}" : "");
    }

    private static string Plural(int count, string noun) => count == 1 ? noun : noun + "s";
}
