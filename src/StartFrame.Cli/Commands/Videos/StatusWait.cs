using System.Globalization;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core.Records;
using StartFrame.Core.Status;

namespace StartFrame.Cli.Commands.Videos;

/// <summary>
/// <c>startframe status &lt;taskId&gt; --wait</c>: follows a task until it ends. A progress bar on a terminal, a line per
/// change when stdout is read by a script, a JSON object per change with <c>--json</c>. Exit 0 when the video is in
/// storage, 2 when the generation failed or timed out or the task is unknown, 1 on <c>--timeout</c>.
/// </summary>
internal static class StatusWait
{
    /// <summary>Polls that see ModelStream finished while the ledger does not before saying the tracker may be missing.</summary>
    private const int PollsBeforeHint = 3;

    /// <summary>How often to look, and when to give up (null: never).</summary>
    public sealed record Settings(TimeSpan Interval, TimeSpan? Timeout);

    public static async Task<int> RunAsync(VideoStatusFollower follower, string taskId, bool asJson, Settings settings, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (settings.Timeout is { } timeout)
        {
            deadline.CancelAfter(timeout);
        }

        using var bar = asJson ? null : ProgressBar.For(error, taskId);
        var last = "";
        var finishedUnstored = 0;
        try
        {
            await foreach (var read in follower.FollowAsync(taskId, settings.Interval, deadline.Token).ConfigureAwait(false))
            {
                if (read is null)
                {
                    await error.WriteLineAsync(StatusCommand.UnknownTask(taskId)).ConfigureAwait(false);
                    return ExitCodes.Rejected;
                }

                var view = read.Status;
                if (view.Completion is { } completion)
                {
                    bar?.Dispose();
                    await output.WriteLineAsync(asJson ? StatusCommand.Json(view) : Ended(view)).ConfigureAwait(false);
                    return completion == CompletionStatuses.Succeeded ? ExitCodes.Ok : ExitCodes.Rejected;
                }

                var caption = StatusCommand.Describe(view.Generation);
                var change = $"{view.Generation?.Status}|{view.Generation?.Progress}|{read.GenerationProblem}";
                if (bar is not null)
                {
                    bar.Show(view.Generation?.Progress ?? 0, caption);
                }
                else if (change != last)
                {
                    await output.WriteLineAsync(asJson ? StatusCommand.Json(view) : $"{taskId}  {caption}").ConfigureAwait(false);
                }

                last = change;
                if (view.Generation?.Status is ModelStream.Client.VideoTaskStatus.Completed or ModelStream.Client.VideoTaskStatus.Failed && ++finishedUnstored == PollsBeforeHint)
                {
                    bar?.Dispose();
                    await error.WriteLineAsync($"ModelStream has finished task {taskId}; waiting for the tracker to record it. Is the function app running, or `startframe track` (locally)?").ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            bar?.Dispose();
            await error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"status: task {taskId} had not ended after --timeout {settings.Timeout}; it goes on without us. Run `startframe status {taskId} --wait` again later.")).ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        return ExitCodes.Failure; // the follower ends only on an unknown task or an ended one, both returned above
    }

    private static string Ended(Core.Status.VideoStatus view) => view switch
    {
        { Video: { } video } => $"{view.Completion}  {StatusCommand.Describe(video)}; save it with: startframe download {view.TaskId}",
        { Error: { } problem } => $"{view.Completion}  {problem.Code}: {problem.Message}",
        _ => view.Completion!,
    };
}
