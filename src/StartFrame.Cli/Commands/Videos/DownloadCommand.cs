using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core.Status;
using StartFrame.Core.Tracking;

namespace StartFrame.Cli.Commands.Videos;

/// <summary><c>startframe download &lt;taskId&gt; [-o file] [--force] [--json]</c>: saves a task's stored video to a local file.</summary>
internal static class DownloadCommand
{
    public static Command Create()
    {
        var taskId = new Argument<string>("taskId") { Description = "ModelStream's task id, as in the task or completion record." };
        var file = new Option<string?>("--output", "-o") { Description = "The file to write, or a folder to write <taskId>.mp4 into (default: <taskId>.mp4 in the current folder)." };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {taskId, file, bytes, container, blob}." };
        var command = new Command("download", """
            Save the video of a finished task from the videos container to a local file, streamed (a progress bar on a
            terminal for large videos). -o may name a folder: the video is saved there as <taskId>.mp4. An existing file
            is never replaced unless --force; the download goes to a .part file of its own first. Exit 0 when saved; 2 when the
            task is unknown, ended without a video (failed or timed out: the reason is printed), or the file exists; 1
            when it is not finished yet (run it again later) or storage failed. Settings: AzureWebJobsStorage only.
            Example: startframe download task_01hx3f9k2m -o cat.mp4
            """);
        command.Arguments.Add(taskId);
        command.Options.Add(file);
        command.Options.Add(force);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(taskId)!, parse.GetValue(file), parse.GetValue(force), parse.GetValue(json), null, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    /// <summary>Saves the video; the demo calls it with its own configuration.</summary>
    public static async Task<int> RunAsync(
        string taskId, string? file, bool force, bool asJson, IReadOnlyDictionary<string, string?>? configuration, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var path = VideoDownloader.TargetPath(file, taskId);
        if (Directory.Exists(path))
        {
            await error.WriteLineAsync($"download: {path} is a folder; name a file with -o (or a folder without a {Path.GetFileName(path)} in it).").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        if (Path.GetDirectoryName(path) is { } folder && !Directory.Exists(folder))
        {
            await error.WriteLineAsync($"download: the folder {folder} does not exist; create it or name another with -o.").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        if (File.Exists(path) && !force)
        {
            await error.WriteLineAsync($"download: {path} exists; pass --force to replace it, or -o to save elsewhere.").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        using var host = await CommandCore.TryStartForStorageAsync(error, cancellationToken, configuration).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        var downloader = host.Services.GetRequiredService<VideoDownloader>();
        var status = await downloader.FindAsync(taskId, cancellationToken).ConfigureAwait(false);
        switch (status)
        {
            case null:
                await error.WriteLineAsync(StatusCommand.UnknownTask(taskId, "download")).ConfigureAwait(false);
                return ExitCodes.Rejected;
            case { Video: null, Error: { } problem }:
                await error.WriteLineAsync($"download: task {taskId} ended {status.Completion} without a video ({problem.Code}): {problem.Message}").ConfigureAwait(false);
                return ExitCodes.Rejected;
            case { Video: null }:
                await error.WriteLineAsync($"download: the video of task {taskId} is not in storage yet; wait for it with `startframe status {taskId} --wait`.").ConfigureAwait(false);
                return ExitCodes.Failure;
        }

        var video = status.Video!;
        long bytes;
        using (var bar = ProgressBar.ForBytes(error, "download", video.Length))
        {
            bytes = await downloader.DownloadAsync(video, path, force, bar?.Bytes(video.Length), cancellationToken).ConfigureAwait(false);
        }

        await output.WriteLineAsync(asJson
            ? JsonText.Line(new JsonObject { ["taskId"] = taskId, ["file"] = path, ["bytes"] = bytes, ["container"] = video.Container, ["blob"] = video.Blob })
            : string.Create(CultureInfo.InvariantCulture, $"saved {video.Container}/{video.Blob} ({bytes:N0} bytes) to {path}")).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
