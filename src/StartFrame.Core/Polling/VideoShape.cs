using System.Text.Json;
using System.Text.Json.Nodes;
using ModelStream.Client;
using StartFrame.Core.Catalog;

namespace StartFrame.Core.Polling;

/// <summary>
/// What a task's generation time depends on, as far as we can tell before it runs: its model, its duration and its
/// resolution, as the request sent them (text; empty when the request left one to ModelStream's default). Tasks of one
/// shape are taken to take about as long, so the time learned from one places the first poll of the next.
/// </summary>
/// <param name="Model">The model id (the catalog's spelling when it knows the model).</param>
/// <param name="Duration">The <c>duration</c> value as sent, e.g. <c>5</c>; empty when absent.</param>
/// <param name="Resolution">The <c>resolution</c> value as sent, e.g. <c>1080p</c>; empty when absent.</param>
public sealed record VideoShape(string Model, string Duration, string Resolution)
{
    /// <summary>The shape of <paramref name="request"/>, each value read where the catalog says it travels.</summary>
    public static VideoShape Of(ModelCatalog catalog, VideoGenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(request);
        var model = catalog.Find(request.Model)?.Id ?? request.Model;
        return new VideoShape(
            model,
            Text(catalog.WireValue(request.Model, request.Fields, request.Metadata, "duration")),
            Text(catalog.WireValue(request.Model, request.Fields, request.Metadata, "resolution")));
    }

    /// <summary>A value as one line of text: a string as it is, a number or anything else as its JSON.</summary>
    private static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue text when text.GetValueKind() == JsonValueKind.String => text.GetValue<string>(),
        _ => value.ToJsonString(),
    };
}
