using System.CommandLine;
using System.Globalization;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core.Catalog;
using StartFrame.Core.Validation;

namespace StartFrame.Cli.Commands.Submitting;

/// <summary><c>startframe models [--json]</c>: the model catalog the validator uses, embedded plus <c>StartFrame__CatalogPath</c>.</summary>
internal static class ModelsCommand
{
    public static Command Create() => Create(Environment.GetEnvironmentVariable);

    /// <summary>The command reading its settings through <paramref name="environment"/> (tests pass their own).</summary>
    internal static Command Create(Func<string, string?> environment)
    {
        var json = new Option<bool>("--json") { Description = "Print the catalog as one line of JSON: a catalog file (loadable via StartFrame__CatalogPath)." };
        var command = new Command("models", """
            List the models the validator knows, with each parameter's type, accepted values, default and where it is
            sent. Add or replace models with a catalog file named by StartFrame__CatalogPath.
            Example: startframe models --json > catalog.json
            """);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (!CliCatalog.TryLoad(environment, parse.InvocationConfiguration.Error, out var catalog))
            {
                return ExitCodes.Failure;
            }
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonText.Line(System.Text.Json.Nodes.JsonNode.Parse(catalog.ToJson()))); // one line, still a loadable catalog file
            }
            else
            {
                PrintTable(catalog, output);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void PrintTable(ModelCatalog catalog, TextWriter output)
    {
        foreach (var model in catalog.Models)
        {
            output.WriteLine(model.Description is { Length: > 0 } about ? $"{model.Id} - {about}" : model.Id);
            output.WriteLine($"  image: {Describe(model.Image)}");

            // The description says what a field is for (the catalog's words); it comes last, as the longest cell.
            var rows = model.Parameters.Select(p => (IReadOnlyList<string>)
            [
                p.Required ? p.Name + " (required)" : p.Name,
                TypeName(p.Type),
                Accepted(p),
                p.Default is { } value ? value.GetRawText() : "-",
                p.Location == WireLocation.Metadata ? "metadata" : "top level",
                p.Description ?? "",
            ]).ToList();
            Table.Print(output, ["field", "type", "accepts", "default", "sent", "what it is"], rows, indent: "  ");
            foreach (var rule in model.Rules)
            {
                output.WriteLine($"  rule: if {rule.If.Field} = {rule.If.Value.GetRawText()} then {rule.Then.Field} = {rule.Then.Value.GetRawText()}; otherwise: {rule.Message}");
            }
            output.WriteLine();
        }
        output.WriteLine($"other models: passed through with generic checks (image: {Describe(catalog.GenericImage)}); "
            + $"rejected instead when {CliCatalog.StrictModelsVariable}=true.");
    }

    private static string Describe(ImageRequirement image)
    {
        var parts = new List<string> { string.Join(", ", image.Formats.Select(f => f.DisplayName())) };
        if (image.MinAspectRatio is { } min && image.MaxAspectRatio is { } max)
        {
            parts.Add($"aspect {min} to {max}");
        }
        else if (image.MinAspectRatio is { } narrowest)
        {
            parts.Add($"aspect {narrowest} or wider");
        }
        else if (image.MaxAspectRatio is { } widest)
        {
            parts.Add($"aspect {widest} or narrower");
        }
        if (image.MaxBytes is { } bytes)
        {
            parts.Add("at most " + ImageValidator.DescribeSize(bytes));
        }
        return string.Join("; ", parts);
    }

    private static string TypeName(ParameterType type) => type switch
    {
        ParameterType.Text => "string",
        ParameterType.Flag => "boolean",
        ParameterType.WholeNumber => "integer",
        _ => "number",
    };

    private static string Accepted(ParameterSpec p)
    {
        if (p.Allowed is { Count: > 0 } allowed)
        {
            return string.Join(" | ", allowed.Select(a => a.GetRawText()));
        }
        var range = (p.Min, p.Max) switch
        {
            ({ } min, { } max) => $"{Number(min)}..{Number(max)}",
            ({ } min, null) => $">= {Number(min)}",
            (null, { } max) => $"<= {Number(max)}",
            _ => p.Type == ParameterType.Flag ? "true | false" : "any",
        };
        return p.Step is { } step ? $"{range} step {Number(step)}" : range;
    }

    private static string Number(decimal value) => value.ToString("G29", CultureInfo.InvariantCulture);
}
