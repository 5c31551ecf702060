using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core.Catalog;
using StartFrame.Core.Problems;
using StartFrame.Core.Validation;

namespace StartFrame.Cli.Commands.Submitting;

/// <summary>
/// <c>startframe validate &lt;sidecar.json&gt; [--image &lt;file&gt;] [--model &lt;id&gt;] [--json]</c>: the pipeline's own
/// validator, offline (no storage, no network), so a sidecar can be fixed before it is uploaded.
/// </summary>
internal static class ValidateCommand
{
    /// <summary>Stands in for the SAS URL the pipeline would put in <c>images</c>.</summary>
    public const string ImageUrlPlaceholder = "<sas-url-of-image>";

    public static Command Create() => Create(Environment.GetEnvironmentVariable);

    /// <summary>The command reading its settings through <paramref name="environment"/> (tests pass their own).</summary>
    internal static Command Create(Func<string, string?> environment)
    {
        var sidecar = new Argument<FileInfo>("sidecar") { Description = "The sidecar JSON file to check." };
        var image = new Option<FileInfo?>("--image")
        {
            Description = "The start frame to check with it; only its first 64 KiB are read, as the pipeline does.",
            HelpName = "file",
        };
        var model = new Option<string?>("--model")
        {
            Description = "Check against this model, whatever the sidecar's \"model\" says.",
            HelpName = "id",
        };
        var json = new Option<bool>("--json") { Description = "Print {\"valid\", \"model\", \"errors\", \"request\"} as JSON instead of text." };

        var command = new Command("validate", """
            Check a sidecar (and optionally its image) exactly as the pipeline will, without storage or network,
            and show the request that would be sent. Exit codes: 0 valid; 2 invalid, or a file that does not exist;
            1 could not check (a bad StartFrame__CatalogPath, a file that cannot be read).
            Settings from the environment: StartFrame__CatalogPath, StartFrame__StrictModels, StartFrame__DefaultModel.
            Example: startframe validate cats/cat.json --image cats/cat.png
            """);
        command.Arguments.Add(sidecar);
        command.Options.Add(image);
        command.Options.Add(model);
        command.Options.Add(json);
        command.SetAction(parse => Run(
            parse.GetValue(sidecar)!,
            parse.GetValue(image),
            parse.GetValue(model),
            parse.GetValue(json),
            environment,
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(
        FileInfo sidecarFile,
        FileInfo? imageFile,
        string? modelOverride,
        bool asJson,
        Func<string, string?> environment,
        TextWriter output,
        TextWriter error)
    {
        if (!CliCatalog.TryLoad(environment, error, out var catalog))
        {
            return ExitCodes.Failure;
        }

        byte[] sidecarBytes;
        ImageToCheck? image = null;
        try
        {
            // Bounded like the pipeline's ranged read: one byte past the limit is enough to say "too large".
            sidecarBytes = LocalFiles.ReadAtMost(sidecarFile.FullName, SidecarValidator.MaxSidecarBytes + 1);
            if (imageFile is not null)
            {
                image = ReadImageHead(imageFile);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A file that is not there was mistyped (refused, 2); one that cannot be read is the machine's (1).
            error.WriteLine($"validate: {ex.Message}");
            return ex is FileNotFoundException or DirectoryNotFoundException ? ExitCodes.Rejected : ExitCodes.Failure;
        }

        var validator = new SidecarValidator(catalog, new SidecarValidationOptions
        {
            DefaultModel = CliCatalog.DefaultModel(environment),
            StrictModels = CliCatalog.StrictModels(environment),
            ModelOverride = modelOverride,
        });
        var result = validator.Validate(sidecarBytes, image);

        if (asJson)
        {
            output.WriteLine(ToJson(result));
        }
        else
        {
            PrintText(result, sidecarFile.Name, imageFile is not null, output);
        }
        return result.IsValid ? ExitCodes.Ok : ExitCodes.Rejected;
    }

    /// <summary>The first 64 KiB of the file, its length and name: what the pipeline's one ranged read yields.</summary>
    private static ImageToCheck ReadImageHead(FileInfo file)
    {
        using var stream = LocalFiles.OpenRegular(file.FullName);
        var head = LocalFiles.ReadAtMost(stream, ImageValidator.HeaderBytes);
        return new ImageToCheck(head, Math.Max(stream.Length, head.Length), file.Name);
    }

    private static string ToJson(SidecarVerdict result)
    {
        var document = new JsonObject
        {
            ["valid"] = result.IsValid,
            ["model"] = result.Model,
            ["errors"] = new JsonArray([.. result.Errors.Select(e => (JsonNode)new JsonObject
            {
                ["field"] = e.Field,
                ["code"] = e.Code,
                ["message"] = e.Message,
            })]),
            ["request"] = result.IsValid ? result.ToRequestBody(ImageUrlPlaceholder) : null,
        };
        return JsonText.Line(document);
    }

    private static void PrintText(SidecarVerdict result, string sidecarName, bool imageChecked, TextWriter output)
    {
        var verdict = result.IsValid
            ? $"valid: {sidecarName} for model {result.Model}"
            : $"invalid: {sidecarName} for model {result.Model} ({result.Errors.Count} {(result.Errors.Count == 1 ? "error" : "errors")})";
        output.WriteLine(verdict);
        foreach (var problem in result.Errors)
        {
            output.WriteLine($"  {problem}");
        }

        // With StrictModels the unknown model is an error (unknown_model) above; then no generic checks "ran" to note.
        if (!result.IsKnownModel && !result.Errors.Any(e => e.Code == ValidationCodes.UnknownModel))
        {
            output.WriteLine($"note: model \"{result.Model}\" is not in the catalog: only generic checks ran and its fields pass through unchanged "
                + "(StartFrame__StrictModels=true rejects unknown models).");
        }
        if (result.Image is { Format: { } format, Width: { } width, Height: { } height } checkedImage)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"image: {format.DisplayName()} {width}x{height}, {checkedImage.Length:N0} bytes"));
        }
        else if (!imageChecked)
        {
            output.WriteLine("image: not checked (add --image <file> to check the start frame too)");
        }

        if (!result.IsValid)
        {
            return;
        }
        var body = result.ToRequestBody(ImageUrlPlaceholder);
        output.WriteLine("would POST /v1/video/generations:");
        output.WriteLine("  " + Pairs(body.Where(p => p.Key != "metadata")));
        if (body["metadata"] is JsonObject metadata)
        {
            output.WriteLine("  metadata: " + Pairs(metadata));
        }
    }

    private static string Pairs(IEnumerable<KeyValuePair<string, JsonNode?>> properties)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in properties)
        {
            text.Append(text.Length == 0 ? string.Empty : " ").Append(name).Append('=');
            text.Append(value is null ? "null" : JsonText.Line(value));
        }
        return text.ToString();
    }
}
