using System.Text.Json.Serialization;

namespace StartFrame.Core.WaysIn;

/// <summary>Source-generated JSON for <see cref="RecheckMessage"/>: camelCase.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RecheckMessage))]
internal sealed partial class RecheckJsonContext : JsonSerializerContext;
