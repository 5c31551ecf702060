using System.CommandLine;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.OperatorViews;

namespace StartFrame.Cli.Commands.Operating;

/// <summary>
/// <c>startframe records [--tasks] [--completions] [--failures] [--json]</c>: the records waiting on their queues for the
/// pipelines downstream, peeked — nothing received, hidden or deleted — in either form (inline, or a pointer to
/// <c>video-records</c>).
/// </summary>
internal static class RecordsCommand
{
    public static Command Create()
    {
        var tasks = new Option<bool>("--tasks") { Description = $"Task records ({StartFrameOptions.TasksQueue})." };
        var completions = new Option<bool>("--completions") { Description = $"Completion records ({StartFrameOptions.CompletionsQueue})." };
        var failures = new Option<bool>("--failures") { Description = $"Failure records ({StartFrameOptions.FailuresQueue}); `startframe failures` also says whether each was resolved." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per record, per line: {queue, messageId, insertedOn, dequeueCount, form, recordBlob, record, problem, taskId}." };
        var command = new Command("records", $"""
            Show the records on their queues without taking them: a peek, so consumers lose nothing, nothing is hidden and no
            dequeue count changes. Both forms are read: a record inline in its message, or one too large for a message,
            stored in {StartFrameOptions.RecordsContainer} and named by a pointer (recordBlob). Without an option: task, completion
            and failure records. A peek sees at most the first 32 messages of a queue (the queue service's limit); when a
            queue holds more, that is said, and the rest show once consumers take the first ones.
            Exit codes: 0 shown (even none), 1 storage failed. Settings: AzureWebJobsStorage.
            Examples:
              startframe records
              startframe records --tasks --json
            """);
        command.Options.Add(tasks);
        command.Options.Add(completions);
        command.Options.Add(failures);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) =>
        {
            var queues = new List<string>();
            if (parse.GetValue(tasks))
            {
                queues.Add(StartFrameOptions.TasksQueue);
            }

            if (parse.GetValue(completions))
            {
                queues.Add(StartFrameOptions.CompletionsQueue);
            }

            if (parse.GetValue(failures))
            {
                queues.Add(StartFrameOptions.FailuresQueue);
            }

            return RunAsync(queues.Count > 0 ? queues : RecordPeeker.Queues, parse.GetValue(json), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> queues, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!CliEnvironment.Read().TryGetStorage(error, out var storage))
        {
            return ExitCodes.Failure;
        }

        var peeker = new RecordPeeker(CliEnvironment.RawQueues(storage), CliEnvironment.Blobs(storage));
        var table = new Table(output, ("QUEUE", 19), ("INSERTED", 20), ("TASK", 14), ("STATUS", 10), ("RECORD", 0));
        var notes = json ? error : output;
        foreach (var queue in queues)
        {
            var peek = await peeker.PeekAsync(queue, cancellationToken).ConfigureAwait(false);
            foreach (var record in peek.Records)
            {
                if (json)
                {
                    await output.WriteLineAsync(JsonText.Line(record, CliJsonContext.Default.PeekedRecord)).ConfigureAwait(false);
                }
                else
                {
                    table.Row(record.Queue, RecordLines.Time(record.InsertedOn), record.TaskId, RecordLines.Status(record), RecordLines.Describe(record));
                }
            }

            await notes.WriteLineAsync(RecordLines.Summary(peek)).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }
}
