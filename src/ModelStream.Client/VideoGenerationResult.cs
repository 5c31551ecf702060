using System.Text.Json.Serialization;

namespace ModelStream.Client;

/// <summary>What ModelStream answers to a successful submit.</summary>
/// <param name="TaskId">The task id (<c>task_id</c>, or <c>id</c> on deployments that answer the richer object).</param>
/// <param name="Status">The status as reported, usually <c>queued</c>.</param>
public sealed record VideoGenerationResult(
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("status")] string Status);
