using System.Text.Json.Serialization;

namespace StartFrame.Core.Records;

/// <summary>Source-generated JSON for the records: camelCase, nulls left out (used through <see cref="RecordJson.Context"/>, which adds the relaxed encoder).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TaskRecord))]
[JsonSerializable(typeof(FailureRecord))]
[JsonSerializable(typeof(RecordPointer))]
[JsonSerializable(typeof(CompletionRecord))]
[JsonSerializable(typeof(IReadOnlyList<RecordError>))]
public sealed partial class RecordJsonContext : JsonSerializerContext;
