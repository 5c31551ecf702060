using System.Text.Json.Serialization;
using StartFrame.Core.Records;

namespace StartFrame.Core.Status;

/// <summary>The JSON of a task's status (<c>GET /api/videos/{taskId}</c>, <c>startframe status --json</c>): the records' options.</summary>
public static class StatusJson
{
    /// <summary>The serializer context with the records' options (camelCase, nulls left out, UTF-8 text written as itself).</summary>
    public static StatusJsonContext Context { get; } = new(RecordJson.NewOptions());
}

/// <summary>The source-generated serializer of <see cref="VideoStatus"/>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VideoStatus))]
public sealed partial class StatusJsonContext : JsonSerializerContext;
