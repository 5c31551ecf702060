using System.Text;
using System.Text.Json;

namespace StartFrame.Cli.Commands.Output;

/// <summary>Indented JSON for people, written straight from the document (no serializer metadata needed).</summary>
internal static class IndentedJson
{
    public static string Format(JsonElement element)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            element.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
