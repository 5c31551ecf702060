using System.Text.Json;

namespace ModelStream.Client;

/// <summary>Reads a poll answer in either shape the API doc lists.</summary>
/// <remarks>
/// 1. Wrapper: <c>{"code":"success","data":{"task_id","status":"SUCCESS","progress":"100%","fail_reason","result_url"}}</c>.
/// 2. OpenAI-video: <c>{"id","task_id","status":"completed","progress":100,"metadata":{"url"},"error":null}</c>,
///    the URL sometimes at <c>url</c> or <c>content.url</c>.
/// </remarks>
internal static class VideoTaskStatusReader
{
    public static VideoTaskStatus? TryRead(string? body, string requestedTaskId, out string problem)
    {
        problem = "";
        if (string.IsNullOrWhiteSpace(body))
        {
            problem = "the body is empty";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (Json.TryGetObject(root, "data", out var data))
            {
                return new VideoTaskStatus(
                    Json.ReadText(data, "task_id") ?? Json.ReadText(data, "id") ?? requestedTaskId,
                    Normalize(Json.ReadText(data, "status")),
                    Json.ReadPercent(data, "progress"),
                    ReadUrl(Json.ReadText(data, "result_url") ?? Json.ReadText(data, "url")),
                    Json.ReadText(data, "fail_reason"));
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status", out _))
            {
                return new VideoTaskStatus(
                    Json.ReadText(root, "task_id") ?? Json.ReadText(root, "id") ?? requestedTaskId,
                    Normalize(Json.ReadText(root, "status")),
                    Json.ReadPercent(root, "progress"),
                    ReadUrl(NestedUrl(root, "metadata") ?? Json.ReadText(root, "url") ?? NestedUrl(root, "content")),
                    ReadFailReason(root));
            }

            problem = "it has no task status";
            return null;
        }
        catch (JsonException)
        {
            problem = "the body is not JSON";
            return null;
        }
    }

    internal static string Normalize(string? status) => status?.Trim().ToUpperInvariant() switch
    {
        "NOT_START" or "SUBMITTED" or "QUEUED" or "PENDING" => VideoTaskStatus.Queued,
        "IN_PROGRESS" or "PROCESSING" or "RUNNING" => VideoTaskStatus.InProgress,
        "SUCCESS" or "SUCCEEDED" or "COMPLETED" => VideoTaskStatus.Completed,
        "FAILURE" or "FAILED" or "CANCELLED" or "CANCELED" => VideoTaskStatus.Failed,
        _ => VideoTaskStatus.Unknown,
    };

    private static string? NestedUrl(JsonElement root, string name) =>
        Json.TryGetObject(root, name, out var nested) ? Json.ReadText(nested, "url") : null;

    private static Uri? ReadUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) ? url : null;

    private static string? ReadFailReason(JsonElement root)
    {
        if (!root.TryGetProperty("error", out var error))
        {
            return Json.ReadText(root, "fail_reason");
        }

        return error.ValueKind switch
        {
            JsonValueKind.String => error.GetString(),
            JsonValueKind.Object => Json.ReadText(error, "message") ?? Json.ReadText(error, "code"),
            _ => Json.ReadText(root, "fail_reason"),
        };
    }
}
