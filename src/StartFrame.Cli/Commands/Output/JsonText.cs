using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace StartFrame.Cli.Commands.Output;

/// <summary>
/// Every piece of JSON the CLI prints, written one way: UTF-8 text as itself and no HTML escaping (<c>猫</c>, <c>+00:00</c>,
/// <c>"</c> and <c>&lt;sas-url-of-image&gt;</c> print as they are, not as <c>\uXXXX</c>), the same relaxed encoding the
/// records are stored with (<c>Core/Records/RecordJson.cs</c>). <see cref="Line(JsonNode?)"/> is one compact object per line,
/// what <c>--json</c> promises; <see cref="Indented(JsonNode?)"/> is for people.
/// </summary>
internal static class JsonText
{
    private static readonly JavaScriptEncoder s_relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping; // output for terminals and pipes, never HTML

    /// <summary>One line of compact JSON.</summary>
    public static string Line(JsonNode? node) => Write(node, indented: false);

    /// <summary><paramref name="value"/> as one line of compact JSON, through its source-generated metadata.</summary>
    public static string Line<T>(T value, JsonTypeInfo<T> typeInfo) => Line(JsonSerializer.SerializeToNode(value, typeInfo));

    /// <summary>Indented JSON, for people.</summary>
    public static string Indented(JsonNode? node) => Write(node, indented: true);

    /// <summary>Indented JSON of a parsed document, for people.</summary>
    public static string Indented(JsonElement element) => Indented(JsonNode.Parse(element.GetRawText()));

    private static string Write(JsonNode? node, bool indented)
    {
        if (node is null)
        {
            return "null";
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = s_relaxed, Indented = indented }))
        {
            node.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
