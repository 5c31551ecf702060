using System.Globalization;
using System.Text.Json.Nodes;

namespace ModelStream.Simulator;

/// <summary>The answer to <c>GET /v1/video/generations/{taskId}</c>, in the shape the simulator is set to.</summary>
internal static class PollAnswer
{
    /// <summary>The answer for <paramref name="task"/> as <paramref name="view"/> sees it; <paramref name="rendered"/> says whether
    /// its video is rendered from its start frame (the flat shape's metadata then gives that video's size).</summary>
    public static JsonObject For(IssuedTask task, TaskView view, string? resultUrl, SimulatedPollShape shape, bool rendered) => shape switch
    {
        SimulatedPollShape.Wrapper => Wrapper(task, view, resultUrl),
        SimulatedPollShape.Flat => Flat(task, view, resultUrl, rendered),
        _ => OpenAi(task, view, resultUrl),
    };

    private static JsonObject OpenAi(IssuedTask task, TaskView view, string? resultUrl) => new()
    {
        ["id"] = task.TaskId,
        ["task_id"] = task.TaskId,
        ["object"] = "video",
        ["model"] = task.Model,
        ["status"] = view.Status == TaskView.Succeeded ? "completed" : view.Status,
        ["progress"] = view.Progress,
        ["created_at"] = task.CreatedAt.ToUnixTimeSeconds(),
        ["metadata"] = resultUrl is null ? null : new JsonObject { ["url"] = resultUrl },
        ["error"] = Error(task, view),
    };

    private static JsonObject Wrapper(IssuedTask task, TaskView view, string? resultUrl) => new()
    {
        ["code"] = "success",
        ["message"] = "",
        ["data"] = new JsonObject
        {
            ["task_id"] = task.TaskId,
            ["status"] = view.Status switch
            {
                TaskView.Queued => "QUEUED",
                TaskView.InProgress => "IN_PROGRESS",
                TaskView.Succeeded => "SUCCESS",
                _ => "FAILURE",
            },
            ["progress"] = view.Progress.ToString(CultureInfo.InvariantCulture) + "%",
            ["fail_reason"] = view.Status == TaskView.Failed ? view.FailReason : "",
            ["result_url"] = resultUrl ?? "",
            ["submit_time"] = task.CreatedAt.ToUnixTimeSeconds(),
        },
    };

    private static JsonObject Flat(IssuedTask task, TaskView view, string? resultUrl, bool rendered) => new()
    {
        ["task_id"] = task.TaskId,
        ["status"] = view.Status is TaskView.Succeeded or TaskView.Failed ? view.Status : "processing",
        ["format"] = "mp4",
        ["url"] = resultUrl,
        ["metadata"] = rendered ? Rendered(task) : new JsonObject { ["duration"] = 5, ["fps"] = 8, ["width"] = 96, ["height"] = 64, ["seed"] = 0 },
        ["error"] = Error(task, view),
    };

    private static JsonObject Rendered(IssuedTask task)
    {
        var (width, height) = VideoRenderer.SizeFor(task.Height);
        return new JsonObject { ["duration"] = task.DurationSeconds, ["fps"] = VideoRenderer.FramesPerSecond, ["width"] = width, ["height"] = height, ["seed"] = 0 };
    }

    private static JsonObject? Error(IssuedTask task, TaskView view) =>
        view.Status == TaskView.Failed ? new JsonObject { ["code"] = "generation_failed", ["message"] = view.FailReason } : null;
}
