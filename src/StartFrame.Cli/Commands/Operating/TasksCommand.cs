using System.CommandLine;
using System.Globalization;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.OperatorViews;
using StartFrame.Core.Storage;

namespace StartFrame.Cli.Commands.Operating;

/// <summary>
/// <c>startframe tasks [--state S] [--prefix P] [--limit N] [--json]</c>: the ledger's entries, read-only — which uploads and
/// submissions there are, where each stands, its task, video or last error — streamed as they are read.
/// </summary>
internal static class TasksCommand
{
    /// <summary>How many entries are shown unless <c>--limit</c> says otherwise.</summary>
    public const int DefaultLimit = 100;

    public static Command Create()
    {
        var state = new Option<string?>("--state")
        {
            Description = $"Only entries in this ledger state: {string.Join(", ", LedgerQuery.States)}.",
            HelpName = "state",
        };
        var prefix = new Option<string?>("--prefix")
        {
            Description = $"Only uploads and submissions of images whose name starts with this ({StartFrameOptions.UploadsContainer}/batch1/ or batch1/).",
            HelpName = "prefix",
        };
        var limit = new Option<int>("--limit")
        {
            Description = $"Show at most this many entries (default {DefaultLimit}; 0: all of them). Says so when more match.",
            DefaultValueFactory = _ => DefaultLimit,
            HelpName = "n",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per entry, per line (partitionKey, rowKey, state, source, taskId, trackingState, video, lastError, timestamps)." };
        var command = new Command("tasks", $"""
            List the ledger's entries (table {StartFrameOptions.LedgerTable}) without changing anything: each upload or submission
            by its image's name (the ledger's keys are hashes; the names are kept beside them) and its idempotency key, its
            state, task id, tracking state, stored video, last error and when it last changed. The table is read a page
            (1,000 entries) at a time and printed as it is read, in the ledger's key order (hashes: not by time), up to
            --limit entries. Exit codes: 0 listed (even none), 2 a --state or --prefix that cannot match, 1 storage failed.
            Settings: AzureWebJobsStorage.
            Examples:
              startframe tasks
              startframe tasks --state failed
              startframe tasks --prefix {StartFrameOptions.UploadsContainer}/batch1/ --limit 0 --json
            """);
        command.Options.Add(state);
        command.Options.Add(prefix);
        command.Options.Add(limit);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(state), parse.GetValue(prefix), parse.GetValue(limit), parse.GetValue(json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string? state, string? prefix, int limit, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (Problem(state, prefix, limit) is { } problem)
        {
            await error.WriteLineAsync("tasks: " + problem).ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        if (!CliEnvironment.Read().TryGetStorage(error, out var storage))
        {
            return ExitCodes.Failure;
        }

        var query = new LedgerQuery { State = state, BlobPrefix = BlobPrefix(prefix) };
        var reader = new LedgerReader(CliEnvironment.Tables(storage));
        var table = new Table(output, ("STATE", 10), ("TASK", 14), ("TRACKING", 10), ("UPDATED", 20), ("IMAGE", 0));
        var shown = 0;
        var more = false;
        await foreach (var entry in reader.ListAsync(query, cancellationToken).ConfigureAwait(false))
        {
            // One entry past the limit says that more match, without reading on to count them.
            if (limit > 0 && shown == limit)
            {
                more = true;
                break;
            }

            shown++;
            if (json)
            {
                await output.WriteLineAsync(JsonText.Line(entry, CliJsonContext.Default.LedgerView)).ConfigureAwait(false);
            }
            else
            {
                Print(table, entry);
            }
        }

        // The summary is for people: under the table, or on stderr when stdout is JSON lines.
        var summary = shown == 0
            ? $"No ledger entries{Describe(query)}."
            : more
                ? $"{shown} entries shown{Describe(query)}; more match: raise --limit (0 shows all), or narrow with --state or --prefix."
                : $"{shown} {(shown == 1 ? "entry" : "entries")}{Describe(query)}.";
        await (json ? error : output).WriteLineAsync(summary).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    private static void Print(Table table, LedgerView entry)
    {
        var image = entry.Source ?? "(no image)";
        image += entry.IdempotencyKey is { } key ? $" (key {key})" : "";
        image += entry.ArchivedTake ? " (an earlier take)" : "";
        table.Row(entry.State, entry.TaskId, entry.TrackingState, RecordLines.Time(entry.UpdatedAt), image);
        if (entry.Video is { } video)
        {
            table.Continuation(string.Create(CultureInfo.InvariantCulture, $"-> {video}{(entry.VideoLength is { } length ? $" ({length:N0} bytes)" : "")}"));
        }

        if (entry.SlotAhead is { } ahead)
        {
            table.Continuation(string.Create(CultureInfo.InvariantCulture, $"waiting for a provider slot ({ahead} ahead)"));
        }
        else if (entry.LastError is { } last)
        {
            table.Continuation($"{last.Code}: {last.Message}");
        }
    }

    /// <summary>What is wrong with the filters (one line naming the option and what it takes), or null.</summary>
    private static string? Problem(string? state, string? prefix, int limit)
    {
        if (state is not null && !LedgerQuery.States.Contains(state))
        {
            return $"--state: '{state}' is not a ledger state; use one of: {string.Join(", ", LedgerQuery.States)}.";
        }

        if (limit < 0)
        {
            return $"--limit: {limit} is below 0; give how many entries to show (0: all).";
        }

        var name = BlobPrefix(prefix);
        if (name is { Length: > 0 } && BlobNames.Problem(name.TrimEnd('/')) is { } bad)
        {
            return $"--prefix: '{prefix}' cannot start a blob name: {bad}; give a folder like {StartFrameOptions.UploadsContainer}/batch1/ or batch1/.";
        }

        return null;
    }

    // start-frames/batch1/ and batch1/ name the same blobs: the container is the only one uploads go to.
    private static string? BlobPrefix(string? prefix)
    {
        var container = StartFrameOptions.UploadsContainer + "/";
        return prefix is null ? null : prefix.StartsWith(container, StringComparison.Ordinal) ? prefix[container.Length..] : prefix;
    }

    private static string Describe(LedgerQuery query)
    {
        var parts = new List<string>();
        if (query.State is { } state)
        {
            parts.Add($"in state {state}");
        }

        if (query.BlobPrefix is { } prefix)
        {
            parts.Add($"for images under {StartFrameOptions.UploadsContainer}/{prefix}");
        }

        return parts.Count == 0 ? "" : " " + string.Join(" ", parts);
    }
}
