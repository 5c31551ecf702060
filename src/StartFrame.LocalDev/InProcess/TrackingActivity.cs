using System.Globalization;
using StartFrame.Core.Tracking;
using StartFrame.LocalDev.Dev;

namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// What a tracking delivery came to, as a line of <c>startframe dev</c>: the task, and once its video is stored where it
/// landed (<c>track  stored  task 91pm… -> videos/mine/planet/91pm….mp4</c>) — the moment a person waits for.
/// </summary>
internal static class TrackingActivity
{
    public static DevActivity Of(TrackingOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var subject = outcome.TaskId.Length > 0 ? $"task {outcome.TaskId}" : "video-tracking";
        var taskId = outcome.TaskId.Length > 0 ? outcome.TaskId : null;
        return outcome switch
        {
            { Status: TrackingOutcomeStatus.Succeeded, Video: { } video } =>
                new DevActivity("track", subject, "stored", null, taskId, $"{video.Container}/{video.Blob}"),
            { Error: { } problem } => new DevActivity("track", subject, outcome.Status, $"{problem.Code}: {problem.Message}", taskId),
            { Status: TrackingOutcomeStatus.Rescheduled, NextPollAt: { } next } => new DevActivity(
                "track",
                subject,
                "polled",
                string.Create(CultureInfo.InvariantCulture, $"{outcome.Generation ?? "no answer"}{(outcome.Progress is { } p ? $" {p}%" : "")}, next poll at {next.ToUniversalTime():HH:mm:ss}Z"),
                taskId),
            _ => new DevActivity("track", subject, outcome.Status, outcome.Detail, taskId, outcome.Video is { } stored ? $"{stored.Container}/{stored.Blob}" : null),
        };
    }
}
