using System.Text.RegularExpressions;

namespace StartFrame.Deployment.Tests;

/// <summary>
/// Just enough Bicep reading for the checks here (no Bicep compiler is reachable on the dev machine): top-level keys of
/// an object literal, string and string-array variables, parameters, outputs and module blocks. Assumes the layout the
/// infra files use: one key per line, opening brace on the declaration line.
/// </summary>
internal static partial class Bicep
{
    /// <summary>Keys (in order) and raw value text of the object literal <c>var {name} = { … }</c>.</summary>
    public static IReadOnlyDictionary<string, string> ObjectVariable(string bicep, string name)
    {
        var declaration = Regex.Match(bicep, $@"^var\s+{Regex.Escape(name)}\s*=\s*\{{\s*$", RegexOptions.Multiline);
        Assert.True(declaration.Success, $"No 'var {name} = {{' object in the Bicep file.");
        return TopLevelKeys(bicep[(declaration.Index + declaration.Length)..], $"var {name}");
    }

    /// <summary>Keys and raw values of the <c>params: { … }</c> block inside <paramref name="block"/> (a module body).</summary>
    public static IReadOnlyDictionary<string, string> ParamsBlock(string block, string what)
    {
        var start = Regex.Match(block, @"^\s*params:\s*\{\s*$", RegexOptions.Multiline);
        return start.Success
            ? TopLevelKeys(block[(start.Index + start.Length)..], what)
            : new Dictionary<string, string>();
    }

    /// <summary>The value of <c>var {name} = '…'</c>.</summary>
    public static string StringVariable(string bicep, string name)
    {
        var match = Regex.Match(bicep, $@"^var\s+{Regex.Escape(name)}\s*=\s*'([^']*)'\s*$", RegexOptions.Multiline);
        Assert.True(match.Success, $"No 'var {name} = '...'' string in the Bicep file.");
        return match.Groups[1].Value;
    }

    /// <summary>The items of <c>var {name} = [ '…' … ]</c> (one string literal per line).</summary>
    public static IReadOnlyList<string> StringArrayVariable(string bicep, string name)
    {
        var match = Regex.Match(bicep, $@"^var\s+{Regex.Escape(name)}\s*=\s*\[(?<items>[^\]]*)\]", RegexOptions.Multiline);
        Assert.True(match.Success, $"No 'var {name} = [ ... ]' array in the Bicep file.");
        return StringLiteral().Matches(match.Groups["items"].Value).Select(m => m.Groups[1].Value).ToList();
    }

    /// <summary>Declared parameters: name → whether it has a default (or is nullable), i.e. may be omitted.</summary>
    public static IReadOnlyDictionary<string, bool> Parameters(string bicep) =>
        ParamDeclaration().Matches(bicep).ToDictionary(
            m => m.Groups["name"].Value,
            m => m.Groups["default"].Success || m.Groups["type"].Value.EndsWith('?'),
            StringComparer.Ordinal);

    /// <summary>Declared output names.</summary>
    public static IReadOnlySet<string> Outputs(string bicep) =>
        OutputDeclaration().Matches(bicep).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>Module declarations: symbolic name, source path, and the body text up to the closing brace.</summary>
    public static IReadOnlyList<(string Symbol, string Source, string Body)> Modules(string bicep)
    {
        var modules = new List<(string, string, string)>();
        foreach (Match match in ModuleDeclaration().Matches(bicep))
        {
            var bodyStart = match.Index + match.Length;
            var depth = 1;
            var i = bodyStart;
            for (; i < bicep.Length && depth > 0; i++)
            {
                depth += bicep[i] switch { '{' => 1, '}' => -1, _ => 0 };
            }

            modules.Add((match.Groups["symbol"].Value, match.Groups["source"].Value, bicep[bodyStart..i]));
        }

        return modules;
    }

    private static Dictionary<string, string> TopLevelKeys(string afterOpeningBrace, string what)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var depth = 1;
        foreach (var rawLine in afterOpeningBrace.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith("//", StringComparison.Ordinal) || line.Length == 0)
            {
                continue;
            }

            if (depth == 1)
            {
                var entry = ObjectEntry().Match(line);
                if (entry.Success)
                {
                    var key = entry.Groups["key"].Value;
                    Assert.True(keys.TryAdd(key, entry.Groups["value"].Value.Trim()), $"{what} sets '{key}' twice.");
                }
            }

            depth += line.Count(c => c == '{') - line.Count(c => c == '}');
            if (depth <= 0)
            {
                return keys;
            }
        }

        Assert.Fail($"{what}: the object literal is not closed.");
        return keys;
    }

    [GeneratedRegex(@"^'?(?<key>[A-Za-z_][A-Za-z0-9_\-]*)'?\s*:\s*(?<value>.*)$")]
    private static partial Regex ObjectEntry();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"^param\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?<type>[A-Za-z_][A-Za-z0-9_\[\]]*\??)(?<default>\s*=.*)?$", RegexOptions.Multiline)]
    private static partial Regex ParamDeclaration();

    [GeneratedRegex(@"^output\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)\s", RegexOptions.Multiline)]
    private static partial Regex OutputDeclaration();

    [GeneratedRegex(@"^module\s+(?<symbol>[A-Za-z_][A-Za-z0-9_]*)\s+'(?<source>[^']+)'\s*=\s*(?:if\s*\([^)]*\)\s*)?\{", RegexOptions.Multiline)]
    private static partial Regex ModuleDeclaration();
}
