using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Tracking;
using StartFrame.Cli.Commands.Output;

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
        using var host = configuration is null
            ? await CoreHost.TryStartAsync(error, cancellationToken).ConfigureAwait(false)
            : await CliHost.StartAsync(configuration, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        var asJson = json || !OutcomeReporter.IsTerminal(output);
        var failed = false;
        void Report(TrackingOutcome? outcome, Exception? exception)
        {
            if (outcome is null)
            {
                failed = true;
                var detail = $"A delivery failed and is retried ({exception?.GetType().Name}: {exception?.Message.Split('\n', 2)[0]})";
                output.WriteLine(asJson ? JsonText.Line(new CliError("delivery_failed", StartFrame.Core.StartFrameOptions.TrackingQueue, detail), CliJsonContext.Default.CliError) : detail);
                return;
            }

            output.WriteLine(asJson ? JsonText.Line(outcome, TrackingJsonContext.Default.TrackingOutcome) : Line(outcome));
        }

        try
        {
            await host.Services.GetRequiredService<TrackingPump>().RunAsync(untilIdle, IdlePoll, Report, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: what was delivered is done; the rest waits on the queue.
        }

        return failed ? ExitCodes.Failure : ExitCodes.Ok;
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
