using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using ModelStream.Client;
using StartFrame.Core.Records;

namespace StartFrame.Core.Pipeline;

/// <summary>Checks an upload before any credit is spent. (Skeleton: replaced by the catalog validator.)</summary>
public sealed class UploadValidator(IOptions<StartFrameOptions> options)
{
    /// <summary>Checks the sidecar (null: none, catalog defaults) and the image head of <paramref name="blobName"/>.</summary>
    public UploadCheck Check(SidecarContent? sidecar, ImageHead head, string blobName)
    {
        ArgumentNullException.ThrowIfNull(head);
        JsonObject fields;
        try
        {
            fields = sidecar is { Exists: true } ? JsonNode.Parse(sidecar.Bytes.Span)!.AsObject() : [];
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return new UploadCheck(options.Value.DefaultModel, [new RecordError("sidecar", "invalid_json", ex.Message)], null);
        }

        var model = fields["model"]?.GetValue<string>() ?? options.Value.DefaultModel;
        return new UploadCheck(model, [], url =>
        {
            var top = new JsonObject();
            var metadata = new JsonObject();
            foreach (var (name, value) in fields)
            {
                if (name is "model")
                {
                    continue;
                }

                if (name is "metadata" && value is JsonObject extras)
                {
                    foreach (var (key, extra) in extras)
                    {
                        metadata[key] = extra?.DeepClone();
                    }

                    continue;
                }

                (name is "seed" or "resolution" or "bgm" ? metadata : top)[name] = value?.DeepClone();
            }

            return new VideoGenerationRequest { Model = model, Images = [url], Fields = top, Metadata = metadata };
        });
    }
}
