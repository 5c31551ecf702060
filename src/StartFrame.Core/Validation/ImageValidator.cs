using System.Globalization;
using StartFrame.Core.Catalog;
using StartFrame.Core.Problems;

namespace StartFrame.Core.Validation;

/// <summary>
/// Checks an uploaded start frame against a model's <see cref="ImageRequirement"/> from its first bytes only:
/// format by magic bytes, name and content type agreeing with it, size, pixel dimensions and aspect ratio.
/// Pure; collects every problem; never throws on any bytes or length.
/// </summary>
public static class ImageValidator
{
    /// <summary>How many bytes of the image to read (one ranged request): 64 KiB holds the header of any ordinary image.</summary>
    public const int HeaderBytes = 64 * 1024;

    /// <summary>Checks <paramref name="image"/> against <paramref name="requirement"/>.</summary>
    public static ImageInspection Validate(ImageToCheck image, ImageRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(requirement);

        var errors = new List<ValidationError>();
        var length = Math.Max(image.Length, image.Header.Length);
        var header = ImageHeaderReader.Read(image.Header.Span, length);
        var named = CheckName(image.Name, errors);

        if (header.Format is not { } format)
        {
            errors.Add(Error(ValidationCodes.UnsupportedFormat, header.Problem ?? "the image format is not recognised"));
        }
        else
        {
            if (!requirement.Formats.Contains(format))
            {
                errors.Add(Error(ValidationCodes.UnsupportedFormat,
                    $"the image is a {format.DisplayName()}; this model accepts {string.Join(", ", requirement.Formats.Select(ImageFormatNames.DisplayName))}"));
            }
            if (named is { } claimed && claimed != format)
            {
                errors.Add(Error(ValidationCodes.FormatMismatch,
                    $"'{Path.GetFileName(image.Name)}' is named as a {claimed.DisplayName()} but its bytes are a {format.DisplayName()}; rename it to {Extensions(format)}"));
            }
            CheckContentType(image.ContentType, format, errors);
            if (!header.HasDimensions)
            {
                errors.Add(Error(ValidationCodes.UnreadableHeader, header.Problem ?? "the image's dimensions could not be read"));
            }
        }

        if (requirement.MaxBytes is { } maxBytes && length > maxBytes)
        {
            errors.Add(Error(ValidationCodes.TooLarge, Invariant($"the image is {length:N0} bytes; the limit is {DescribeSize(maxBytes)}")));
        }

        if (header is { Width: { } width, Height: { } height })
        {
            CheckAspectRatio(width, height, requirement, errors);
        }

        return new ImageInspection
        {
            Format = header.Format,
            Width = header.Width,
            Height = header.Height,
            Length = length,
            Errors = errors,
        };
    }

    /// <summary>A size limit as people say it, with the exact bytes: <c>50 MB (50,000,000 bytes)</c>.</summary>
    public static string DescribeSize(long bytes) => bytes switch
    {
        >= 1_000_000 when bytes % 1_000_000 == 0 => Invariant($"{bytes / 1_000_000} MB ({bytes:N0} bytes)"),
        >= 1_048_576 when bytes % 1_048_576 == 0 => Invariant($"{bytes / 1_048_576} MiB ({bytes:N0} bytes)"),
        _ => Invariant($"{bytes:N0} bytes"),
    };

    private static ImageFormat? CheckName(string? name, List<ValidationError> errors)
    {
        if (name is null)
        {
            return null;
        }
        var extension = Path.GetExtension(name).ToLowerInvariant();
        ImageFormat? format = extension switch
        {
            ".png" => ImageFormat.Png,
            ".jpg" or ".jpeg" => ImageFormat.Jpeg,
            ".webp" => ImageFormat.WebP,
            _ => null,
        };
        if (format is null)
        {
            var what = extension.Length == 0 ? "has no extension" : $"ends in '{extension}'";
            errors.Add(Error(ValidationCodes.UnsupportedFormat, $"'{Path.GetFileName(name)}' {what}; the name must end in .png, .jpg, .jpeg or .webp"));
        }
        return format;
    }

    private static void CheckContentType(string? contentType, ImageFormat format, List<ValidationError> errors)
    {
        var mediaType = contentType?.Split(';', 2)[0].Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(mediaType) || mediaType is "application/octet-stream" or "binary/octet-stream")
        {
            return; // storage's default when the uploader set none: says nothing about the format
        }
        ImageFormat? claimed = mediaType switch
        {
            "image/png" => ImageFormat.Png,
            "image/jpeg" or "image/jpg" or "image/pjpeg" => ImageFormat.Jpeg,
            "image/webp" => ImageFormat.WebP,
            _ => null,
        };
        if (claimed != format)
        {
            // ModelStream fetches the image by URL and may trust the served content type, so a wrong one is not harmless.
            errors.Add(Error(ValidationCodes.FormatMismatch,
                $"the content type '{mediaType}' does not match the bytes, which are a {format.DisplayName()}; upload it as {MediaType(format)}"));
        }
    }

    private static void CheckAspectRatio(int width, int height, ImageRequirement requirement, List<ValidationError> errors)
    {
        var min = requirement.MinAspectRatio;
        var max = requirement.MaxAspectRatio;
        var tooNarrow = min is { } lo && lo.CompareShape(width, height) < 0;
        var tooWide = max is { } hi && hi.CompareShape(width, height) > 0;
        if (!tooNarrow && !tooWide)
        {
            return;
        }
        var accepted = (min, max) switch
        {
            ({ } narrowest, { } widest) => $"from {narrowest} to {widest} (width:height, inclusive)",
            ({ } narrowest, null) => $"of {narrowest} (width:height) or wider",
            (null, { } widest) => $"of {widest} (width:height) or narrower",
            _ => "any",
        };
        errors.Add(Error(ValidationCodes.AspectRatio, Invariant(
            $"the image is {width}x{height} pixels, {(tooNarrow ? "narrower" : "wider")} than the model accepts; aspect ratios {accepted} are accepted")));
    }

    private static string Extensions(ImageFormat format) => format switch
    {
        ImageFormat.Png => ".png",
        ImageFormat.Jpeg => ".jpg or .jpeg",
        _ => ".webp",
    };

    private static string MediaType(ImageFormat format) => format switch
    {
        ImageFormat.Png => "image/png",
        ImageFormat.Jpeg => "image/jpeg",
        _ => "image/webp",
    };

    private static ValidationError Error(string code, string message) => new(ValidationError.Image, code, message);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
