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
    /// <summary>
    /// A token that looks like an option (<c>--prefx</c>) but is none of the command's, or null. The parser may take such a
    /// token as an argument's value (<c>upload --prefx x</c> uploads a file named <c>--prefx</c>, and refuses <c>x</c>), so
    /// this is looked for before anything runs, with or without parse errors.
    /// </summary>
    public static string? UnknownOption(ParseResult parse, IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(args);
        var path = Commands(parse.CommandResult).ToList();
        var known = path.SelectMany(c => c.Options).SelectMany(o => o.Aliases.Append(o.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var token in args.TakeWhile(a => a != "--"))
        {
            // "-" alone (stdin) and negative numbers (-1, -00:00:02) are values, not options.
            if (token.Length < 2 || token[0] != '-' || char.IsDigit(token[1]))
            {
                continue;
            }

            var name = token.Split('=', 2)[0];
            if (known.Contains(name))
            {
                continue;
            }

            var command = path[^1];
            var candidates = command.Options.Concat(path.SelectMany(c => c.Options.Where(o => o.Recursive)))
                .Select(o => o.Name).Where(n => n.StartsWith("--", StringComparison.Ordinal)).Distinct().ToList();
            var hint = Closest(name, candidates) is { } match
                ? $"did you mean {match}?"
                : $"its options: {string.Join(", ", candidates.Where(c => c != "--help"))}";
            return $"{string.Join(' ', CommandPath(parse.CommandResult))}: {name} is not an option of {CommandName(command)}; {hint} see {string.Join(' ', CommandPath(parse.CommandResult))} --help";
        }

        return null;
    }

    /// <summary>The one line for the first error of <paramref name="parse"/>: <c>startframe tasks: --limit: …; see startframe tasks --help</c>.</summary>
    public static string Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);

        // A command name mistyped: say which it is likely to be.
        if (parse.CommandResult.Command is RootCommand root
            && parse.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) is { } unknown
            && UnrecognizedToken().Match(unknown.Message) is { Success: true } typed)
        {
            var name = typed.Groups["token"].Value;
            var commands = root.Subcommands.Select(c => c.Name).ToList();
            var hint = Closest(name, commands) is { } match ? $"did you mean {match}?" : $"the commands are {string.Join(", ", commands)};";
            return $"startframe: '{name}' is not a startframe command; {hint} see startframe --help";
        }
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

    private static Stack<Command> Commands(CommandResult? result)
    {
        var commands = new Stack<Command>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult command)
            {
                commands.Push(command.Command);
            }
        }

        return commands;
    }

    private static string CommandName(Command command) => command is RootCommand ? "startframe" : command.Name;

    /// <summary>The candidate a typo most likely meant: at most two edits (letters added, dropped, changed or swapped) and
    /// fewer than a third of the typed name, so that "x" does not "mean" anything.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        var tolerance = Math.Clamp(typed.TrimStart('-').Length / 3, 1, 2);
        return candidates
            .Select(c => (Name: c, Distance: Distance(typed.ToLowerInvariant(), c.ToLowerInvariant())))
            .Where(c => c.Distance <= tolerance)
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
    }

    // Optimal string alignment distance: Levenshtein plus adjacent swaps (stauts -> status is one edit).
    private static int Distance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return a == b ? 0 : int.MaxValue;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
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

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>[^']*)'", RegexOptions.CultureInvariant)]
    private static partial Regex UnrecognizedToken();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespacePattern();
}
