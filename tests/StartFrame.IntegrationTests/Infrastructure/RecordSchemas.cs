using NJsonSchema;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>The JSON Schemas shipped for the records, loaded from the repo, to validate what tests read off the queues.</summary>
public static class RecordSchemas
{
    private static readonly Lazy<Task<JsonSchema>> TaskSchema = new(() => Load("task-record.schema.json"));
    private static readonly Lazy<Task<JsonSchema>> FailureSchema = new(() => Load("failure-record.schema.json"));
    private static readonly Lazy<Task<JsonSchema>> CompletionSchema = new(() =>
        JsonSchema.FromFileAsync(Path.Combine(RepoLayout.Find().Root, "src", "StartFrame.Core", "Records", "completion-record.schema.json")));

    public static async Task<IReadOnlyList<string>> CompletionRecordErrorsAsync(string json) =>
        (await CompletionSchema.Value).Validate(json).Select(e => e.ToString()).ToList();

    public static async Task<IReadOnlyList<string>> TaskRecordErrorsAsync(string json) =>
        (await TaskSchema.Value).Validate(json).Select(e => e.ToString()).ToList();

    public static async Task<IReadOnlyList<string>> FailureRecordErrorsAsync(string json) =>
        (await FailureSchema.Value).Validate(json).Select(e => e.ToString()).ToList();

    private static Task<JsonSchema> Load(string file) =>
        JsonSchema.FromFileAsync(Path.Combine(RepoLayout.Find().Root, "src", "StartFrame.Core", "Records", file));
}
