using System.Text.Json.Nodes;
using ModelStream.Client;
using StartFrame.Core.Catalog;
using StartFrame.Core.Problems;

namespace StartFrame.Core.Validation;

/// <summary>
/// The verdict on one submission (sidecar, and the image when given): every error found, and, when valid, the
/// ModelStream request it becomes.
/// </summary>
public sealed class SidecarVerdict
{
    private readonly IReadOnlyList<KeyValuePair<string, JsonNode?>> _top;
    private readonly IReadOnlyList<KeyValuePair<string, JsonNode?>> _metadata;

    internal SidecarVerdict(
        string model,
        ModelSpec? spec,
        IReadOnlyList<ValidationError> errors,
        IReadOnlyList<KeyValuePair<string, JsonNode?>> top,
        IReadOnlyList<KeyValuePair<string, JsonNode?>> metadata,
        ImageInspection? image)
    {
        Model = model;
        Spec = spec;
        Errors = errors;
        _top = top;
        _metadata = metadata;
        Image = image;
    }

    /// <summary>Whether nothing is wrong: the sidecar (and image, when checked) may be submitted.</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>The model the submission is for: the override, else the sidecar's <c>model</c>, else the default. Spelled as the catalog spells it.</summary>
    public string Model { get; }

    /// <summary>The catalog entry of <see cref="Model"/>; <see langword="null"/> for a model outside the catalog (only generic checks ran).</summary>
    public ModelSpec? Spec { get; }

    /// <summary>Whether <see cref="Model"/> is in the catalog.</summary>
    public bool IsKnownModel => Spec is not null;

    /// <summary>Every problem found, sidecar first, then image; empty when valid.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    /// <summary>The image checks' result, when an image was given.</summary>
    public ImageInspection? Image { get; }

    /// <summary>
    /// The request to POST for a start frame at <paramref name="imageUrl"/> (a SAS URL): every catalog field with a
    /// value (defaults written out, so the record shows exactly what was sent) at its wire location, and the
    /// sidecar's own <c>metadata</c> keys passed through after the catalog's metadata fields. Each call builds fresh,
    /// independent JSON nodes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The result is not valid.</exception>
    public VideoGenerationRequest ToRequest(string imageUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imageUrl);
        if (!IsValid)
        {
            throw new InvalidOperationException($"An invalid submission has no request; first error: {Errors[0]}");
        }
        return new VideoGenerationRequest
        {
            Model = Model,
            Images = [imageUrl],
            Fields = Build(_top),
            Metadata = Build(_metadata),
        };
    }

    /// <summary>
    /// The JSON body of <see cref="ToRequest"/> as it travels: <c>model</c>, <c>images</c>, the top-level fields,
    /// then <c>metadata</c>. Built from the same record, for printing and records; the client serializes the record itself.
    /// </summary>
    /// <exception cref="InvalidOperationException">The result is not valid.</exception>
    public JsonObject ToRequestBody(string imageUrl)
    {
        var request = ToRequest(imageUrl);
        var body = new JsonObject
        {
            ["model"] = request.Model,
            ["images"] = new JsonArray([.. request.Images.Select(url => (JsonNode?)JsonValue.Create(url))]),
        };
        foreach (var (name, value) in request.Fields ?? [])
        {
            body[name] = value?.DeepClone();
        }
        if (request.Metadata is not null)
        {
            body["metadata"] = request.Metadata.DeepClone();
        }
        return body;
    }

    private static JsonObject? Build(IReadOnlyList<KeyValuePair<string, JsonNode?>> entries)
    {
        if (entries.Count == 0)
        {
            return null;
        }
        var json = new JsonObject();
        foreach (var (name, value) in entries)
        {
            json[name] = value?.DeepClone();
        }
        return json;
    }
}
