using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using StartFrame.Core.Catalog;
using StartFrame.Core.Problems;

namespace StartFrame.Core.Validation;

/// <summary>
/// Validates a sidecar (the JSON next to an uploaded image, or the body of <c>POST /api/videos</c>) against the
/// <see cref="ModelCatalog"/>, and optionally the image against the model's requirement. Pure and thread-safe;
/// collects every error; never throws on any input bytes.
/// </summary>
/// <remarks>
/// Order: size, encoding, JSON, object shape; then the model; then every field (type, allowed values, range, step)
/// and unknown names; then the catalog's cross-field rules on the values that would be sent; then the image.
/// </remarks>
public sealed class SidecarValidator
{
    /// <summary>The largest sidecar accepted: 64 KiB (65,536 bytes), byte order mark included.</summary>
    public const int MaxSidecarBytes = 64 * 1024;

    private const string ModelField = "model";
    private const string MetadataField = "metadata";

    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowDuplicateProperties = false, // a second "duration" would otherwise silently win
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    private readonly ModelCatalog _catalog;
    private readonly SidecarValidationOptions _options;
    private readonly HashSet<string> _callerFields;

    /// <summary>Creates a validator over <paramref name="catalog"/>.</summary>
    public SidecarValidator(ModelCatalog catalog, SidecarValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _options = options ?? new SidecarValidationOptions();
        _callerFields = new HashSet<string>(_options.AdditionalAllowedFields ?? [], StringComparer.Ordinal);
    }

    /// <summary>The model a sidecar that names none gets: the configured one, else the catalog's.</summary>
    private string DefaultModel => string.IsNullOrWhiteSpace(_options.DefaultModel) ? _catalog.DefaultModel : _options.DefaultModel.Trim();

    /// <summary>Validates a sidecar given as raw bytes (UTF-8, a byte order mark is fine), and the image when given.</summary>
    public SidecarVerdict Validate(ReadOnlySpan<byte> sidecarUtf8, ImageToCheck? image = null)
    {
        if (sidecarUtf8.Length > MaxSidecarBytes)
        {
            // Callers may pass only the first limit + 1 bytes, so the message does not claim to know the full size.
            return DocumentError(ValidationCodes.TooLarge,
                "the sidecar is larger than the 64 KiB limit (65,536 bytes); shorten the prompt or metadata", image);
        }

        var bytes = sidecarUtf8.StartsWith("\uFEFF"u8) ? sidecarUtf8[3..] : sidecarUtf8;
        if (DescribeEncodingProblem(bytes) is { } encodingProblem)
        {
            return DocumentError(ValidationCodes.InvalidEncoding, encodingProblem, image);
        }
        if (bytes.Trim(" \t\r\n"u8).IsEmpty)
        {
            return DocumentError(ValidationCodes.InvalidJson, "the sidecar is empty; it must be a JSON object such as {\"prompt\": \"...\"}", image);
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray(), s_documentOptions);
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return DocumentError(ValidationCodes.InvalidJson, JsonProblems.Describe("the sidecar", ex), image);
        }
        catch (InvalidOperationException)
        {
            // The duplicate-name check decodes property names; a lone surrogate escape in one cannot be decoded.
            return DocumentError(ValidationCodes.InvalidEncoding, "the sidecar has a field name with an invalid \\u escape (a lone UTF-16 surrogate)", image);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return DocumentError(ValidationCodes.NotAnObject, $"the sidecar must be a JSON object ({{...}}); got {Article(root.ValueKind)}", image);
        }
        if (FindBrokenString(root, "$") is { } brokenAt)
        {
            return DocumentError(ValidationCodes.InvalidEncoding,
                $"the sidecar has an invalid \\u escape (a lone UTF-16 surrogate) at {brokenAt}", image);
        }
        return ValidateObject(root, image);
    }

    /// <summary>Validates an already-parsed sidecar (e.g. an HTTP body), and the image when given; same rules as the bytes.</summary>
    public SidecarVerdict Validate(JsonObject? sidecar, ImageToCheck? image = null)
    {
        if (sidecar is null)
        {
            return DocumentError(ValidationCodes.NotAnObject, "the sidecar must be a JSON object ({...}); got null", image);
        }
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            using var writer = new Utf8JsonWriter(buffer);
            sidecar.WriteTo(writer);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException or JsonException)
        {
            // Hand-built nodes can hold what JSON cannot (NaN, lone surrogates, arbitrary objects).
            return DocumentError(ValidationCodes.InvalidJson, "the sidecar holds a value that is not representable as JSON: " + ex.Message, image);
        }
        return Validate(buffer.WrittenSpan, image);
    }

    private SidecarVerdict ValidateObject(JsonElement root, ImageToCheck? image)
    {
        var errors = new List<ValidationError>();
        var model = ResolveModel(root, errors);
        var spec = _catalog.Find(model);
        if (spec is not null)
        {
            model = spec.Id;
        }
        else if (_options.StrictModels)
        {
            var known = _catalog.Models.Select(m => m.Id).ToList();
            errors.Add(new ValidationError(ModelField, ValidationCodes.UnknownModel,
                $"model \"{model}\" is not in the catalog; known models: {string.Join(", ", known)}"
                + NameSuggestions.Hint(model, known, ParameterChecker.Quote)));
        }

        var top = new List<KeyValuePair<string, JsonNode?>>();
        var metadata = new List<KeyValuePair<string, JsonNode?>>();
        if (spec is not null)
        {
            CheckKnownModel(root, spec, errors, top, metadata);
        }
        else
        {
            CheckUnknownModel(root, errors, top, metadata);
        }

        ImageInspection? imageResult = null;
        if (image is not null)
        {
            imageResult = ImageValidator.Validate(image, spec?.Image ?? _catalog.GenericImage);
            errors.AddRange(imageResult.Errors);
        }
        return new SidecarVerdict(model, spec, errors, top, metadata, imageResult);
    }

    private string ResolveModel(JsonElement root, List<ValidationError> errors)
    {
        string? fromSidecar = null;
        if (root.TryGetProperty(ModelField, out var value))
        {
            if (value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
            {
                fromSidecar = value.GetString()!.Trim();
            }
            else
            {
                errors.Add(new ValidationError(ModelField, ValidationCodes.WrongType,
                    $"model must be a non-empty string naming a model, such as \"{DefaultModel}\"; got {ParameterChecker.Show(value)}"));
            }
        }
        return NonBlank(_options.ModelOverride) ?? fromSidecar ?? DefaultModel;

        static string? NonBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    private void CheckKnownModel(
        JsonElement root,
        ModelSpec spec,
        List<ValidationError> errors,
        List<KeyValuePair<string, JsonNode?>> top,
        List<KeyValuePair<string, JsonNode?>> metadata)
    {
        var given = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var invalid = new HashSet<string>(StringComparer.Ordinal);
        JsonElement? userMetadata = null;

        foreach (var property in root.EnumerateObject())
        {
            var name = property.Name;
            if (name == ModelField || _callerFields.Contains(name))
            {
                continue;
            }
            if (name == MetadataField)
            {
                userMetadata = CheckMetadata(property.Value, errors);
                continue;
            }
            if (IsImageField(name, errors))
            {
                continue;
            }
            if (spec.FindParameter(name) is not { } parameter)
            {
                var candidates = spec.Parameters.Select(p => p.Name).Append(ModelField).Append(MetadataField).Concat(_callerFields);
                var advice = NameSuggestions.Closest(name, candidates) is { } meant
                    ? $"did you mean {ParameterChecker.Quote(meant)}?"
                    : $"its fields are {string.Join(", ", spec.Parameters.Select(p => p.Name))} (extra model options go inside \"metadata\")";
                errors.Add(new ValidationError(name, ValidationCodes.UnknownField,
                    $"{ParameterChecker.Quote(name)} is not a field of model {spec.Id}; {advice}"));
                continue;
            }
            if (ParameterChecker.Check(parameter, property.Value, name, out var wireValue) is { } error)
            {
                errors.Add(error);
                invalid.Add(name);
                continue;
            }
            given[name] = wireValue;
        }

        // The values that would be sent: what the sidecar gave, else the catalog's default, written out explicitly.
        var effective = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var parameter in spec.Parameters)
        {
            if (given.TryGetValue(parameter.Name, out var value))
            {
                effective[parameter.Name] = value;
            }
            else if (parameter.Default is { } fallback && !invalid.Contains(parameter.Name))
            {
                effective[parameter.Name] = JsonValue.Create(fallback);
            }
            else if (parameter.Required && !invalid.Contains(parameter.Name))
            {
                errors.Add(new ValidationError(parameter.Name, ValidationCodes.MissingRequired,
                    $"{parameter.Name} is required: {ParameterChecker.Describe(parameter)}"));
            }
        }

        foreach (var rule in spec.Rules)
        {
            if (invalid.Contains(rule.If.Field) || invalid.Contains(rule.Then.Field))
            {
                continue; // already reported; a rule on a wrong value would only repeat it
            }
            if (Holds(effective, rule.If) && !Holds(effective, rule.Then))
            {
                errors.Add(new ValidationError(rule.If.Field, ValidationCodes.Conflict, rule.Message));
            }
        }

        foreach (var parameter in spec.Parameters)
        {
            if (effective.TryGetValue(parameter.Name, out var value))
            {
                (parameter.Location == WireLocation.Metadata ? metadata : top).Add(new(parameter.Name, value));
            }
        }

        if (userMetadata is { } extras)
        {
            foreach (var property in extras.EnumerateObject())
            {
                if (spec.FindParameter(property.Name) is { Location: WireLocation.Metadata } owned)
                {
                    errors.Add(new ValidationError($"{MetadataField}.{property.Name}", ValidationCodes.Conflict,
                        $"{owned.Name} is a field of model {spec.Id}; set it at the top level of the sidecar (\"{owned.Name}\": ...) and StartFrame sends it inside metadata"));
                    continue;
                }
                metadata.Add(new(property.Name, ToNode(property.Value)));
            }
        }
    }

    private void CheckUnknownModel(
        JsonElement root,
        List<ValidationError> errors,
        List<KeyValuePair<string, JsonNode?>> top,
        List<KeyValuePair<string, JsonNode?>> metadata)
    {
        // Only the checks that hold for every ModelStream model; every other field passes through untouched.
        foreach (var property in root.EnumerateObject())
        {
            var name = property.Name;
            if (name == ModelField || _callerFields.Contains(name) || IsImageField(name, errors))
            {
                continue;
            }
            if (name == MetadataField)
            {
                if (CheckMetadata(property.Value, errors) is { } extras)
                {
                    metadata.AddRange(extras.EnumerateObject().Select(p => new KeyValuePair<string, JsonNode?>(p.Name, ToNode(p.Value))));
                }
                continue;
            }
            if (name == "prompt" && property.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new ValidationError(name, ValidationCodes.WrongType,
                    $"prompt must be a string; got {ParameterChecker.Show(property.Value)}"));
                continue;
            }
            top.Add(new(name, ToNode(property.Value)));
        }
    }

    private static JsonElement? CheckMetadata(JsonElement value, List<ValidationError> errors)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }
        errors.Add(new ValidationError(MetadataField, ValidationCodes.WrongType,
            $"metadata must be an object of extra model options, such as {{\"movement_amplitude\": \"auto\"}}; got {ParameterChecker.Show(value)}"));
        return null;
    }

    private static bool IsImageField(string name, List<ValidationError> errors)
    {
        if (name is not ("image" or "images"))
        {
            return false;
        }
        errors.Add(new ValidationError(name, ValidationCodes.Conflict,
            $"the start frame is the uploaded image itself and StartFrame sends it as \"images\"; remove \"{name}\" from the sidecar"));
        return true;
    }

    private static bool Holds(Dictionary<string, JsonNode?> values, FieldCondition condition)
        => values.TryGetValue(condition.Field, out var value)
           && value is not null
           && JsonNode.DeepEquals(value, JsonValue.Create(condition.Value));

    private static JsonNode? ToNode(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => JsonObject.Create(element),
        JsonValueKind.Array => JsonArray.Create(element),
        JsonValueKind.Null => null,
        _ => JsonValue.Create(element),
    };

    private SidecarVerdict DocumentError(string code, string message, ImageToCheck? image)
    {
        var errors = new List<ValidationError> { new(ValidationError.Document, code, message) };
        var model = string.IsNullOrWhiteSpace(_options.ModelOverride) ? DefaultModel : _options.ModelOverride.Trim();
        var spec = _catalog.Find(model);
        ImageInspection? imageResult = null;
        if (image is not null)
        {
            // The image is still checked so the user learns everything wrong in one round trip.
            imageResult = ImageValidator.Validate(image, spec?.Image ?? _catalog.GenericImage);
            errors.AddRange(imageResult.Errors);
        }
        return new SidecarVerdict(spec?.Id ?? model, spec, errors, [], [], imageResult);
    }

    private static string? DescribeEncodingProblem(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return "the sidecar is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8";
        }
        if (Utf8.IsValid(bytes))
        {
            return null;
        }
        var offset = 0;
        while (offset < bytes.Length && Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) == OperationStatus.Done)
        {
            offset += consumed;
        }
        return $"the sidecar is not valid UTF-8 (first bad byte at offset {offset.ToString(CultureInfo.InvariantCulture)}); save it as UTF-8";
    }

    /// <summary>The JSON path of the first string or property name that cannot be read as UTF-16 (a lone surrogate escape).</summary>
    private static string? FindBrokenString(JsonElement element, string path)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return null;
                case JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        var name = property.Name;
                        if (FindBrokenString(property.Value, $"{path}.{name}") is { } inner)
                        {
                            return inner;
                        }
                    }
                    return null;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray())
                    {
                        if (FindBrokenString(item, string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]")) is { } inner)
                        {
                            return inner;
                        }
                    }
                    return null;
                default:
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            return path;
        }
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "something else",
    };
}
