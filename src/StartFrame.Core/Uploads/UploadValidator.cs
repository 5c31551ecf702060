using Microsoft.Extensions.Options;
using StartFrame.Core.Catalog;
using StartFrame.Core.Records;
using StartFrame.Core.Validation;

namespace StartFrame.Core.Uploads;

/// <summary>
/// The pipeline's view of the catalog validator: one sidecar (or none: catalog defaults) and one image head in,
/// every error or the request builder out. The same <see cref="SidecarValidator"/> serves the CLI and the HTTP endpoint.
/// </summary>
public sealed class UploadValidator(ModelCatalog catalog, IOptions<StartFrameOptions> options)
{
    private readonly SidecarValidator _validator = new(catalog, SidecarValidationOptions.From(options.Value));

    /// <summary>Checks the sidecar (null: none, catalog defaults) and the image head of <paramref name="blobName"/>.</summary>
    public UploadCheck Check(SidecarContent? sidecar, UploadedImage head, string blobName)
    {
        ArgumentNullException.ThrowIfNull(head);
        var image = new ImageToCheck(head.Bytes, head.Length, blobName, head.ContentType);
        var result = sidecar is null
            ? _validator.Validate(new System.Text.Json.Nodes.JsonObject(), image) // no sidecar: every field at its catalog default
            : _validator.Validate(sidecar.Bytes.Span, image);
        return ToCheck(result);
    }

    /// <summary>The pipeline's verdict from a validator result.</summary>
    public static UploadCheck ToCheck(SidecarVerdict result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var errors = result.Errors.Select(e => new RecordError(e.Field, e.Code, e.Message)).ToList();
        return new UploadCheck(result.Model, errors, result.IsValid ? result.ToRequest : null);
    }
}
