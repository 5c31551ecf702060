using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.Records;
using StartFrame.Core.Status;

namespace StartFrame.Cli.Commands.Videos;

/// <summary>
/// <c>startframe status &lt;taskId&gt; [--wait] [--json]</c>: what the ledger knows of a task (the same view as
/// <c>GET /api/videos/{taskId}</c>) — its stored video, or why there is none — and, while it runs, where ModelStream
/// says it stands. <c>--wait</c> follows it until it ends (see <see cref="StatusWait"/>).
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var taskId = new Argument<string>("taskId") { Description = "ModelStream's task id, as in the task record or the submit output." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (with --wait: one per change): the ledger's view, \"generation\" {status, progress} while it runs, \"video\" or \"error\" once it ended." };
        var wait = new Option<bool>("--wait") { Description = "Follow the task until its video is in storage (exit 0) or it failed or timed out (exit 2); a progress bar on a terminal, a line per change otherwise." };
        var interval = new Option<TimeSpan>("--interval") { Description = "With --wait: how often to look (default 00:00:02).", DefaultValueFactory = _ => TimeSpan.FromSeconds(2) };
        var timeout = new Option<TimeSpan?>("--timeout") { Description = "With --wait: give up after this long (exit 1); default: wait until the task ends." };
        var command = new Command("status", """
            Show what the ledger knows of a task (origin, source, model, parameters, state, timestamps, correlation id),
            where ModelStream says the generation stands now (status, progress), and once it ended the stored video
            (videos/<start frame path>/<taskId>.mp4) or why there is none. If ModelStream cannot be asked, that is said
            on stderr and the ledger part is still printed (exit 0). Exit code 2 when the ledger has no such task.
            With --wait it follows the task: exit 0 when the video is in storage, 2 when the generation failed or timed
            out, 1 on --timeout. Someone must be tracking it: the function app, or `startframe track` locally.
            Settings: AzureWebJobsStorage, ModelStream__BaseUrl, ModelStream__ApiKey.
            Example: startframe status task_01hx3f9k2m
            Example: startframe status task_01hx3f9k2m --wait && startframe download task_01hx3f9k2m
            """);
        interval.MustBePositive("00:00:02");
        timeout.MustBePositive("00:10:00");
        command.Arguments.Add(taskId);
        command.Options.Add(json);
        command.Options.Add(wait);
        command.Options.Add(interval);
        command.Options.Add(timeout);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(taskId)!,
            parse.GetValue(json),
            parse.GetValue(wait) ? new StatusWait.Settings(parse.GetValue(interval), parse.GetValue(timeout)) : null,
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string taskId, bool asJson, StatusWait.Settings? wait, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var host = await CommandCore.TryStartAsync(error, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        if (wait is not null)
        {
            return await StatusWait.RunAsync(host.Services.GetRequiredService<VideoStatusFollower>(), taskId, asJson, wait, output, error, cancellationToken).ConfigureAwait(false);
        }

        var read = await host.Services.GetRequiredService<VideoStatusReader>().ReadAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (read is null)
        {
            await error.WriteLineAsync(UnknownTask(taskId)).ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        if (read.GenerationProblem is { } problem)
        {
            await error.WriteLineAsync($"ModelStream could not be asked for the current status ({problem}); the ledger's view follows. "
                + "Check ModelStream__BaseUrl and ModelStream__ApiKey, or try again later.").ConfigureAwait(false);
        }

        if (asJson)
        {
            await output.WriteLineAsync(Json(read.Status)).ConfigureAwait(false);
        }
        else
        {
            PrintText(read.Status, output);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The one line for a task id the ledger does not have.</summary>
    public static string UnknownTask(string taskId, string command = "status") =>
        $"{command}: no task '{taskId}' in the ledger ({StartFrameOptions.LedgerTable}) of the account in {StartFrameOptions.StorageConnectionName}: "
        + "check the id (it is the taskId of the task record) and the account.";

    /// <summary>The status as one JSON line.</summary>
    public static string Json(VideoStatus status) => JsonText.Line(status, StatusJson.Context.VideoStatus);

    /// <summary>"in_progress, 40% done", or what is known instead.</summary>
    public static string Describe(GenerationState? generation) => generation switch
    {
        null => "could not be asked (see stderr)",
        { Progress: { } progress } => $"{generation.Status}, {progress}% done",
        _ => generation.Status,
    };

    /// <summary>"videos/a/cat/x.mp4 (2,222 bytes, video/mp4)".</summary>
    public static string Describe(CompletionVideo video) =>
        string.Create(CultureInfo.InvariantCulture, $"{video.Container}/{video.Blob} ({video.Length:N0} bytes, {video.ContentType})");

    private static void PrintText(VideoStatus view, TextWriter output)
    {
        void Line(string label, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                output.WriteLine($"{label,-12}{value}");
            }
        }

        Line("task", view.TaskId);
        Line("state", $"{view.State} (ledger)");
        Line("origin", view.Origin);
        Line("source", Describe(view.Source));
        Line("model", view.Model);
        Line("created", RecordLines.Time(view.CreatedAt));
        Line("submitted", RecordLines.Time(view.SubmittedAt));
        Line("updated", RecordLines.Time(view.UpdatedAt));
        Line("correlation", view.CorrelationId);
        if (view.Parameters is { } parameters)
        {
            Line("parameters", string.Join(" ", parameters
                .Where(p => p.Key is not "model" and not "images" and not "metadata")
                .Select(p => $"{p.Key}={Value(p.Value)}")));
            if (parameters["metadata"] is JsonObject { Count: > 0 } metadata)
            {
                Line("metadata", string.Join(" ", metadata.Select(p => $"{p.Key}={Value(p.Value)}")));
            }
        }

        if (view.Completion is null)
        {
            // The result URL is never shown: its query is a signature, and the tracker copies the video to storage.
            Line("modelstream", Describe(view.Generation));
            Line("failed", view.Generation?.FailReason);
            Line("video", view.Generation?.Status == ModelStream.Client.VideoTaskStatus.Completed ? "finished at ModelStream; the tracker is copying it to storage" : "not in storage yet");
            return;
        }

        Line("completion", $"{view.Completion} at {RecordLines.Time(view.CompletedAt)}");
        Line("video", view.Video is { } video ? Describe(video) : null);
        Line("error", view.Error is { } problem ? $"{problem.Code}: {problem.Message}" : null);
    }

    private static string? Describe(RecordSource? source) => source switch
    {
        null => null,
        { Url: { } url } => url,
        { Container: { } container, Blob: { } blob } => source.Etag is { } etag ? $"{container}/{blob} (etag {etag})" : $"{container}/{blob}",
        _ => null,
    };

    private static string Value(JsonNode? value) => JsonText.Line(value);
}
