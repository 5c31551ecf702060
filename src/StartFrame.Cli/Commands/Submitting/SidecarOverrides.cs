using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using StartFrame.Core.Problems;
using StartFrame.Core.Validation;

namespace StartFrame.Cli.Commands.Submitting;

/// <summary>
/// The <c>--set key=value</c> option of <c>upload</c> and <c>submit</c>: sidecar fields given on the command line.
/// A value is taken as JSON when it parses as JSON (<c>8</c>, <c>true</c>, <c>{"a":1}</c>, <c>"8"</c>), otherwise as
/// a string; <c>null</c> removes the field. A dotted key (<c>metadata.movement_amplitude</c>) sets a nested field.
/// </summary>
internal sealed class SidecarOverrides
{
    private readonly List<(string[] Path, JsonNode? Value)> _fields;

    private SidecarOverrides(List<(string[] Path, JsonNode? Value)> fields) => _fields = fields;

    public bool IsEmpty => _fields.Count == 0;

    /// <summary>The option, repeatable: <c>--set duration=8 --set resolution=720p</c>.</summary>
    public static Option<string[]> CreateOption(string example) => new("--set")
    {
        Description = $"Set a sidecar field, key=value (repeatable). The value is JSON when it parses (8, true, {{\"a\":1}}), "
            + $"otherwise a string; key=null removes the field; metadata.x=... sets a metadata key. E.g. {example}",
        HelpName = "key=value",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>Parses every <c>key=value</c>; on the first malformed one, says why in <paramref name="problem"/>.</summary>
    public static bool TryParse(IEnumerable<string>? assignments, [NotNullWhen(true)] out SidecarOverrides? overrides, out string problem)
    {
        var fields = new List<(string[] Path, JsonNode? Value)>();
        foreach (var assignment in assignments ?? [])
        {
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            var path = equals > 0 ? assignment[..equals].Split('.') : [];
            if (equals <= 0 || path.Any(string.IsNullOrWhiteSpace))
            {
                overrides = null;
                problem = $"--set '{assignment}': expected key=value, e.g. --set duration=8 or --set metadata.movement_amplitude=auto.";
                return false;
            }

            if (!TryParseValue(assignment[(equals + 1)..], out var value, out var invalid))
            {
                overrides = null;
                problem = $"--set {assignment[..equals]}: {invalid}.";
                return false;
            }

            fields.Add((path, value));
        }

        overrides = new SidecarOverrides(fields);
        problem = "";
        return true;
    }

    /// <summary>Applies the fields to <paramref name="sidecar"/> in order (a later <c>--set</c> of the same key wins).</summary>
    /// <returns>False, with the reason, when a dotted key runs into a field that is not an object.</returns>
    public bool TryApply(JsonObject sidecar, out string problem)
    {
        foreach (var (path, value) in _fields)
        {
            var target = sidecar;
            for (var depth = 0; depth < path.Length - 1; depth++)
            {
                var name = path[depth];
                switch (target[name])
                {
                    case JsonObject nested:
                        target = nested;
                        break;
                    case null:
                        var created = new JsonObject();
                        target[name] = created;
                        target = created;
                        break;
                    default:
                        problem = $"--set {string.Join('.', path)}: '{string.Join('.', path[..(depth + 1)])}' is not an object in the sidecar, so it cannot hold '{path[depth + 1]}'.";
                        return false;
                }
            }

            if (value is null)
            {
                target.Remove(path[^1]);
            }
            else
            {
                target[path[^1]] = value.DeepClone();
            }
        }

        problem = "";
        return true;
    }

    private static bool TryParseValue(string text, out JsonNode? value, out string problem)
    {
        problem = "";
        try
        {
            // "null" parses to a null node: the field is removed.
            value = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            value = JsonValue.Create(text);
            return true;
        }

        try
        {
            // JSON, but is it JSON as we read it? A name given twice would otherwise fail later, far from the option.
            _ = StrictJson.Parse(text);
            return true;
        }
        catch (JsonException ex)
        {
            value = null;
            problem = JsonProblems.Describe("the value", ex) + " (" + ValidationCodes.InvalidJson + ")";
            return false;
        }
    }
}
