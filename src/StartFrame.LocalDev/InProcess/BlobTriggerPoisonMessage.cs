using System.Text.Json.Serialization;

namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// The message the blob extension puts on <c>webjobs-blobtrigger-poison</c> when a blob's function failed
/// <c>poisonBlobThreshold</c> times (what the operations table of docs/operations.md tells an operator to look for).
/// </summary>
public sealed record BlobTriggerPoisonMessage(
    [property: JsonPropertyName("Type")] string Type,
    [property: JsonPropertyName("FunctionId")] string FunctionId,
    [property: JsonPropertyName("BlobType")] string BlobType,
    [property: JsonPropertyName("ContainerName")] string ContainerName,
    [property: JsonPropertyName("BlobName")] string BlobName,
    [property: JsonPropertyName("ETag")] string ETag)
{
    /// <summary>The poison queue of every blob trigger of a host.</summary>
    public const string PoisonQueue = StartFrame.Core.Storage.TriggerTable.BlobTriggerPoisonQueue;
}

/// <summary>Source-generated JSON for the in-process host's own messages.</summary>
[JsonSerializable(typeof(BlobTriggerPoisonMessage))]
internal sealed partial class InProcessJsonContext : JsonSerializerContext;
