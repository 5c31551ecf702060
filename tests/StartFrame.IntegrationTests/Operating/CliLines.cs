using System.Text.Json.Nodes;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Operating;

/// <summary>What a CLI run printed, read as scripts read it: stdout as one JSON object per line.</summary>
internal static class CliLines
{
    /// <summary>Every stdout line as a JSON object; fails the test on a line that is not one.</summary>
    public static IReadOnlyList<JsonObject> Json(CliProcess.Result run) =>
        [.. run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!.AsObject())];

    /// <summary>A text field of a JSON line, or null.</summary>
    public static string? Text(JsonNode? node, string name) => node?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
