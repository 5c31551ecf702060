using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace StartFrame.Cli;

/// <summary>
/// A command line the parser refused, as every failure a user can cause is told: one line naming the option or argument
/// and what it takes, and exit code 2 (rejected input) — not the whole help and exit 1.
/// </summary>
internal static partial class CliParseErrors
{
    /// <summary>The one line for the first error of <paramref name="parse"/>: <c>startframe tasks: --limit: …; see startframe tasks --help</c>.</summary>
    public static string Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        // "Unrecognized command or argument 'x'" says more than the "Required command was not provided" it comes with.
        var error = parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
        var command = string.Join(' ', CommandPath(parse.CommandResult));
        var field = error.SymbolResult switch
        {
            OptionResult option => option.Option.Name + ": ",
            ArgumentResult { Argument: { } argument } when argument.Name.Length > 0 => $"<{argument.Name}>: ",
            _ => "",
        };
        return $"{command}: {field}{OneLine(error.Message)}; see {command} --help";
    }

    private static Stack<string> CommandPath(CommandResult? result)
    {
        var names = new Stack<string>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult command)
            {
                names.Push(command.Command is RootCommand ? "startframe" : command.Command.Name);
            }
        }

        return names;
    }

    // "Must be one of:\n\t'default'\n\t'free'" as "must be one of: default, free"; a value of the wrong type as what it should be.
    private static string OneLine(string message)
    {
        if (TypePattern().Match(message) is { Success: true } wrongType)
        {
            var expected = wrongType.Groups["type"].Value switch
            {
                "System.TimeSpan" or "System.Nullable`1[System.TimeSpan]" => "a duration like 00:00:30 (hh:mm:ss)",
                "System.Int32" or "System.Nullable`1[System.Int32]" => "a whole number",
                "System.Boolean" => "true or false",
                _ => "a value of the right kind",
            };
            return $"'{wrongType.Groups["value"].Value}' is not {expected}";
        }

        var choices = ChoicesPattern().Match(message);
        if (choices.Success)
        {
            var allowed = string.Join(", ", choices.Groups["choice"].Captures.Select(c => c.Value));
            message = message[..choices.Index] + "Must be one of: " + allowed;
        }

        return WhitespacePattern().Replace(message, " ").Trim().TrimEnd('.');
    }

    [GeneratedRegex(@"Must be one of:(\s+'(?<choice>[^']*)')+", RegexOptions.CultureInvariant)]
    private static partial Regex ChoicesPattern();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command|argument) '[^']*' as expected type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespacePattern();
}
