namespace StartFrame.Core.Problems;

/// <summary>
/// The stable codes of <see cref="ValidationError.Code"/>. Clients branch on these, so they never change meaning;
/// the messages beside them may be reworded.
/// </summary>
public static class ValidationCodes
{
    /// <summary>The sidecar is not JSON (or is empty).</summary>
    public const string InvalidJson = "invalid_json";

    /// <summary>The sidecar is not UTF-8 (e.g. UTF-16, or broken byte sequences).</summary>
    public const string InvalidEncoding = "invalid_encoding";

    /// <summary>The sidecar exceeds 64 KiB, or the image exceeds the model's size limit.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The sidecar is JSON but not an object.</summary>
    public const string NotAnObject = "not_an_object";

    /// <summary>A field has the wrong JSON type (e.g. <c>"true"</c> for a boolean).</summary>
    public const string WrongType = "wrong_type";

    /// <summary>A field's value is not one of the allowed values.</summary>
    public const string NotAllowed = "not_allowed";

    /// <summary>A number is below the minimum or above the maximum.</summary>
    public const string OutOfRange = "out_of_range";

    /// <summary>A number is in range but not on the step (e.g. 5.5 seconds when whole seconds are required).</summary>
    public const string NotAStep = "not_a_step";

    /// <summary>A top-level field the model does not have (often a typo).</summary>
    public const string UnknownField = "unknown_field";

    /// <summary>Fields contradict each other, or a field collides with one StartFrame sets itself.</summary>
    public const string Conflict = "conflict";

    /// <summary>The model is not in the catalog and strict models are configured.</summary>
    public const string UnknownModel = "unknown_model";

    /// <summary>A required field is absent.</summary>
    public const string MissingRequired = "missing_required";

    /// <summary>The image is not PNG, JPEG or WebP (by magic bytes or by name), or not a format the model accepts.</summary>
    public const string UnsupportedFormat = "unsupported_format";

    /// <summary>The image's name or content type claims a different format than its bytes.</summary>
    public const string FormatMismatch = "format_mismatch";

    /// <summary>The image's pixel dimensions are not in the bytes read (truncated, corrupt, or behind large metadata).</summary>
    public const string UnreadableHeader = "unreadable_header";

    /// <summary>The image is narrower or wider than the model accepts.</summary>
    public const string AspectRatio = "aspect_ratio";

    /// <summary>A blob name, idempotency key, image URL or correlation id is longer than its documented limit.</summary>
    public const string TooLong = "too_long";

    /// <summary>Every code, for documentation and exhaustive tests.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        InvalidJson, InvalidEncoding, TooLarge, NotAnObject, WrongType, NotAllowed, OutOfRange, NotAStep,
        UnknownField, Conflict, UnknownModel, MissingRequired,
        UnsupportedFormat, FormatMismatch, UnreadableHeader, AspectRatio, TooLong,
    ];
}
