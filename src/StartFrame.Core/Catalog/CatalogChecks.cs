using System.Globalization;

namespace StartFrame.Core.Catalog;

/// <summary>
/// What JSON deserialization cannot see: duplicate ids, reserved names, defaults that break their own field's rules,
/// rules naming fields that do not exist. A bad catalog fails at start-up, not on the first upload.
/// </summary>
internal static class CatalogChecks
{
    /// <summary>Names StartFrame itself writes into the request or reads from the sidecar; a model cannot define them.</summary>
    public static readonly IReadOnlySet<string> ReservedNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "model", "metadata", "image", "images",
    };

    public static void Check(CatalogDocument document, string source)
    {
        if (document.GenericImage is { } generic)
        {
            CheckImage(generic, source, "$.genericImage");
        }

        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var m = 0; m < document.Models.Count; m++)
        {
            var model = document.Models[m];
            var path = Path("$.models[{0}]", m);
            if (model is null)
            {
                throw new ModelCatalogException(source, path, "a model must be an object, not null");
            }
            if (string.IsNullOrWhiteSpace(model.Id))
            {
                throw new ModelCatalogException(source, path + ".id", "a model needs a non-empty id");
            }
            if (!ids.Add(model.Id))
            {
                throw new ModelCatalogException(source, path + ".id", $"model '{model.Id}' is defined twice");
            }
            CheckImage(model.Image, source, path + ".image");
            CheckParameters(model, source, path);
            CheckRules(model, source, path);
        }
    }

    private static void CheckImage(ImageRequirement image, string source, string path)
    {
        if (image.Formats.Count == 0)
        {
            throw new ModelCatalogException(source, path + ".formats", "list at least one of \"png\", \"jpeg\", \"webp\"");
        }
        if (image is { MinAspectRatio: { } min, MaxAspectRatio: { } max } && min.CompareShape(max.Width, max.Height) < 0)
        {
            throw new ModelCatalogException(source, path, $"minAspectRatio {min} is wider than maxAspectRatio {max}");
        }
        if (image.MaxBytes is <= 0)
        {
            throw new ModelCatalogException(source, path + ".maxBytes", "must be a positive number of bytes");
        }
    }

    private static void CheckParameters(ModelSpec model, string source, string modelPath)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var p = 0; p < model.Parameters.Count; p++)
        {
            var parameter = model.Parameters[p];
            var path = modelPath + Path(".parameters[{0}]", p);
            if (parameter is null)
            {
                throw new ModelCatalogException(source, path, "a parameter must be an object, not null");
            }
            if (string.IsNullOrWhiteSpace(parameter.Name))
            {
                throw new ModelCatalogException(source, path + ".name", "a parameter needs a non-empty name");
            }
            if (ReservedNames.Contains(parameter.Name))
            {
                throw new ModelCatalogException(source, path + ".name",
                    $"'{parameter.Name}' is reserved: StartFrame sets model, images and metadata itself, and the image is the uploaded blob");
            }
            if (!names.Add(parameter.Name))
            {
                throw new ModelCatalogException(source, path + ".name", $"parameter '{parameter.Name}' is defined twice");
            }

            var numeric = parameter.Type is ParameterType.Number or ParameterType.WholeNumber;
            if (!numeric && (parameter.Min is not null || parameter.Max is not null || parameter.Step is not null))
            {
                throw new ModelCatalogException(source, path, "min, max and step apply to number and integer parameters only");
            }
            if (parameter is { Min: { } min, Max: { } max } && min > max)
            {
                throw new ModelCatalogException(source, path, "min is greater than max");
            }
            if (parameter.Step is <= 0)
            {
                throw new ModelCatalogException(source, path + ".step", "step must be positive");
            }
            if (parameter.OffPeak && parameter.Type != ParameterType.Flag)
            {
                throw new ModelCatalogException(source, path + ".offPeak", "only a boolean parameter can ask for off-peak generation");
            }
            if (parameter.Type == ParameterType.Flag && parameter.Allowed is not null)
            {
                throw new ModelCatalogException(source, path + ".allowed", "a boolean parameter cannot list allowed values");
            }
            if (parameter.Allowed is { } allowed)
            {
                for (var a = 0; a < allowed.Count; a++)
                {
                    var unrestricted = parameter with { Allowed = null };
                    if (ParameterChecker.Check(unrestricted, allowed[a], parameter.Name, out _) is { } error)
                    {
                        throw new ModelCatalogException(source, path + Path(".allowed[{0}]", a), error.Message);
                    }
                }
            }
            if (parameter.Default is { } value && ParameterChecker.Check(parameter, value, parameter.Name, out _) is { } defaultError)
            {
                throw new ModelCatalogException(source, path + ".default", "the default breaks the parameter's own rule: " + defaultError.Message);
            }
        }
    }

    private static void CheckRules(ModelSpec model, string source, string modelPath)
    {
        for (var r = 0; r < model.Rules.Count; r++)
        {
            var rule = model.Rules[r];
            var path = modelPath + Path(".rules[{0}]", r);
            if (rule is null)
            {
                throw new ModelCatalogException(source, path, "a rule must be an object, not null");
            }
            CheckCondition(model, rule.If, source, path + ".if");
            CheckCondition(model, rule.Then, source, path + ".then");
            if (string.IsNullOrWhiteSpace(rule.Message))
            {
                throw new ModelCatalogException(source, path + ".message", "a rule needs a message telling the user how to fix the sidecar");
            }
        }
    }

    private static void CheckCondition(ModelSpec model, FieldCondition condition, string source, string path)
    {
        var parameter = model.FindParameter(condition.Field)
            ?? throw new ModelCatalogException(source, path + ".field", $"'{condition.Field}' is not a parameter of model '{model.Id}'");
        if (ParameterChecker.Check(parameter, condition.Value, parameter.Name, out _) is { } error)
        {
            throw new ModelCatalogException(source, path + ".equals", "the value can never occur: " + error.Message);
        }
    }

    private static string Path(string format, int index) => string.Format(CultureInfo.InvariantCulture, format, index);
}
