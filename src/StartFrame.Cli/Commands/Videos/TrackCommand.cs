using System.CommandLine;
using System.Globalization;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.Tracking;
using StartFrame.LocalDev.InProcess;

namespace StartFrame.Cli.Commands.Videos;

/// <summary>
/// <c>startframe track [--until-idle] [--json]</c>: runs the tracker in the CLI — what the function app's
/// <c>VideoTrackingDue</c> does — for local runs and scripts.
/// </summary>
internal static class TrackCommand
{
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var untilIdle = new Option<bool>("--until-idle") { Description = "Stop once no task is left to track (the video-tracking queue is empty, waiting polls included)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per delivery (also the default when stdout is not a terminal)." };
        var command = new Command("track", """
            Follow submitted tasks to their end, as the function app does: poll each task when its tracking message falls
            due, queue the next poll while it runs, and when it ends copy the video into the videos container and write
            its completion record to video-completions. Prints one line per delivery. Runs until Ctrl+C, or with
            --until-idle until nothing is left to track. Exit 1 if any delivery failed (it is retried, as on the host).
            Settings: AzureWebJobsStorage, ModelStream__BaseUrl, ModelStream__ApiKey, StartFrame__Poll*, StartFrame__TrackingHorizon.
            Example: startframe track --until-idle
            """);
        command.Options.Add(untilIdle);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(untilIdle), parse.GetValue(json), null, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>Runs the tracker; the demo calls it with its own configuration.</summary>
    public static async Task<int> RunAsync(
        bool untilIdle, bool json, IReadOnlyDictionary<string, string?>? configuration, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var host = await CommandCore.TryStartAsync(error, cancellationToken, configuration).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        var asJson = OutcomeReporter.WantsJson(json, output);
        var failed = false;
        var writing = new Lock();
        void Print(string line)
        {
            lock (writing)
            {
                output.WriteLine(line);
            }
        }

        // The same delivery loop as the in-process host's queue triggers, with the function app's host.json settings:
        // what track does to a failing message is what the host would do.
        var queues = host.Services.GetRequiredService<QueueServiceClient>();
        var tracker = host.Services.GetRequiredService<IVideoTracker>();
        var pump = new QueuePump(
            queues.GetQueueClient(StartFrameOptions.TrackingQueue),
            queues.GetQueueClient(StartFrameOptions.TrackingQueue + "-poison"),
            async (message, token) =>
            {
                var outcome = await tracker.TrackAsync(message.Body.ToString(), message.DequeueCount, token).ConfigureAwait(false);
                Print(asJson ? JsonText.Line(outcome, TrackingJsonContext.Default.TrackingOutcome) : Line(outcome));
            },
            HostJson.Embedded().Queues,
            delivery =>
            {
                if (delivery.Error is null)
                {
                    return;
                }

                failed = true;
                var then = delivery.Outcome == QueueDeliveryOutcome.Poisoned ? "moved to the poison queue" : "delivered again later";
                var detail = $"A delivery failed and is {then} ({delivery.Error.Split('\n', 2)[0]})";
                Print(asJson ? JsonText.Line(new CliError("delivery_failed", StartFrameOptions.TrackingQueue, detail), CliJsonContext.Default.CliError) : detail);
            });

        try
        {
            if (untilIdle)
            {
                await DeliverUntilIdleAsync(pump, queues.GetQueueClient(StartFrameOptions.TrackingQueue), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await pump.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: what was delivered is done; the rest waits on the queue.
        }

        return failed ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>Delivers what falls due until the queue holds no message at all, visible or waiting (every task tracked has ended).</summary>
    private static async Task DeliverUntilIdleAsync(QueuePump pump, QueueClient queue, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (await pump.DeliverBatchAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                continue;
            }

            // The approximate count includes messages still invisible (polls not due yet): zero means nothing is tracked.
            if ((await queue.GetPropertiesAsync(cancellationToken).ConfigureAwait(false)).Value.ApproximateMessagesCount == 0)
            {
                return;
            }

            await Task.Delay(IdlePoll, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Line(TrackingOutcome outcome)
    {
        var status = outcome.Status.Replace('_', ' ');
        var what = outcome switch
        {
            { Video: { } video } => "-> " + StatusCommand.Describe(video),
            { Error: { } problem } => $"{problem.Code}: {problem.Message}",
            { NextPollAt: { } next } => string.Create(CultureInfo.InvariantCulture, $"{outcome.Generation ?? "poll failed"}{(outcome.Progress is { } p ? $" {p}%" : "")}, next poll {next.ToUniversalTime():HH:mm:ss}Z"),
            _ => outcome.Detail ?? "",
        };
        return $"{status,-18}{outcome.TaskId}  {what}";
    }
}
