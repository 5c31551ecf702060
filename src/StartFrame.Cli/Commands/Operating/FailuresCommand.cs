using System.CommandLine;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.OperatorViews;

namespace StartFrame.Cli.Commands.Operating;

/// <summary>
/// <c>startframe failures [--follow] [--json]</c>: the failure records on <c>video-task-failures</c>, peeked (never received),
/// each with whether a later redrive, upload or submission of the same image resolved it, from the ledger.
/// </summary>
internal static class FailuresCommand
{
    /// <summary>Remembered message ids in <c>--follow</c>, most recent kept: a message a consumer held and gave back shows once.</summary>
    private const int IdsRemembered = 100_000;

    public static Command Create()
    {
        var follow = new Option<bool>("--follow") { Description = "Keep watching: show new failure records as they arrive, until Ctrl-C. Nothing is received or deleted." };
        var interval = new Option<TimeSpan>("--interval")
        {
            Description = "With --follow: how often to look (default 00:00:02).",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(2),
        };
        interval.MustBePositive("00:00:02");
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object per failure, per line: {messageId, insertedOn, form, recordBlob, record, problem, resolution {status, taskId, ledgerState, at, detail}}.",
        };
        var command = new Command("failures", $"""
            Show the failure records on {StartFrameOptions.FailuresQueue} without taking them (a peek: consumers lose nothing, no
            dequeue count changes), each with what the ledger says of its image now: resolved (a later redrive, upload or
            submission of it has a task: which one), unresolved (still failed or ambiguous: what to do), or unknown (refused
            before anything was claimed). Both record forms are read (inline, or a pointer to {StartFrameOptions.RecordsContainer}).
            A peek sees at most the first 32 messages of the queue: when it holds more, that is said, and the rest show once
            consumers take the first ones. --follow looks again every --interval and shows only what is new, until Ctrl-C.
            Exit codes: 0 shown (even none; Ctrl-C ends --follow with 0), 1 storage failed. Settings: AzureWebJobsStorage.
            Examples:
              startframe failures
              startframe failures --follow --json
            """);
        command.Options.Add(follow);
        command.Options.Add(interval);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(follow), parse.GetValue(interval), parse.GetValue(json),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(bool follow, TimeSpan interval, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!CliEnvironment.Read().TryGetStorage(error, out var storage))
        {
            return ExitCodes.Failure;
        }

        var peeker = new RecordPeeker(CliEnvironment.RawQueues(storage), CliEnvironment.Blobs(storage));
        var ledger = new LedgerReader(CliEnvironment.Tables(storage));
        var table = new Table(output, ("INSERTED", 20), ("STAGE", 10), ("RESOLVED", 10), ("FAILURE", 0));
        var notes = json ? error : output;
        var seen = new RememberedIds(IdsRemembered);
        string? lastNote = null;
        try
        {
            while (true)
            {
                var peek = await peeker.PeekAsync(StartFrameOptions.FailuresQueue, cancellationToken).ConfigureAwait(false);

                // A resolver per look: what the ledger says changes between looks.
                var resolver = new FailureResolver(ledger);
                foreach (var failure in peek.Records.Where(r => seen.Add(r.MessageId)))
                {
                    var resolution = failure.Record is { } record ? await resolver.ResolveAsync(record, cancellationToken).ConfigureAwait(false) : null;
                    Print(failure, resolution, json, output, table);
                }

                // Once, and again whenever it changes: what this look could see, and what it could not.
                var note = RecordLines.Summary(peek);
                if (!follow || (peek.MayHoldMore && note != lastNote))
                {
                    await notes.WriteLineAsync(note).ConfigureAwait(false);
                    lastNote = note;
                }

                if (!follow)
                {
                    return ExitCodes.Ok;
                }

                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (follow && cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok; // Ctrl-C: following ends; nothing was taken from the queue
        }
    }

    private static void Print(PeekedRecord failure, FailureResolution? resolution, bool json, TextWriter output, Table table)
    {
        if (json)
        {
            var line = new FailureLine(failure.MessageId, failure.InsertedOn, failure.DequeueCount, failure.Form, failure.RecordBlob, failure.Record, failure.Problem, resolution);
            output.WriteLine(JsonText.Line(line, CliJsonContext.Default.FailureLine));
            return;
        }

        table.Row(RecordLines.Time(failure.InsertedOn), RecordLines.Status(failure), resolution?.Status, RecordLines.Describe(failure));
        if (resolution is not null)
        {
            table.Continuation("-> " + resolution.Detail);
        }
    }

    /// <summary>The message ids seen, the most recent <paramref name="capacity"/> of them (bounded memory however long it follows).</summary>
    private sealed class RememberedIds(int capacity)
    {
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        /// <summary>True when <paramref name="id"/> is new (and now remembered).</summary>
        public bool Add(string id)
        {
            if (!_ids.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > capacity)
            {
                _ids.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
