using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StartFrame.Core.Records;

/// <summary>
/// The JSON of records as they are queued, stored and answered: camelCase, nulls left out, and UTF-8 text written as
/// itself. The default encoder writes every non-ASCII character as <c>\uXXXX</c> (a 10,000-character Japanese prompt
/// becomes 60,000 characters); records are data for pipelines, never embedded in HTML, so that escaping only costs size.
/// </summary>
public static class RecordJson
{
    /// <summary>The serializer context with the relaxed encoder.</summary>
    public static RecordJsonContext Context { get; } = new(NewOptions());

    /// <summary>New options of the records' JSON, for another stage's source-generated context (e.g. completion records).</summary>
    public static JsonSerializerOptions NewOptions() => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON of a task record.</summary>
    public static string Serialize(TaskRecord record) => JsonSerializer.Serialize(record, Context.TaskRecord);

    /// <summary>The JSON of a failure record.</summary>
    public static string Serialize(FailureRecord record) => JsonSerializer.Serialize(record, Context.FailureRecord);

    /// <summary>A task record read back (from the ledger's copy).</summary>
    public static TaskRecord? ReadTaskRecord(string? json) => json is null ? null : JsonSerializer.Deserialize(json, Context.TaskRecord);
}
