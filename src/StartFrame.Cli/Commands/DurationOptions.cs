using System.CommandLine;
using System.Globalization;

namespace StartFrame.Cli.Commands;

/// <summary>The rule every duration option of the CLI shares (intervals, timeouts): positive, or one line saying so.</summary>
internal static class DurationOptions
{
    /// <summary>Refuses a zero or negative value of <paramref name="option"/> (a <see cref="TimeSpan"/>, optional or not), naming <paramref name="example"/>.</summary>
    public static Option<T> MustBePositive<T>(this Option<T> option, string example)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            // A value that is no duration at all is already the parser's error; GetValueOrDefault would throw on it.
            if (result.Tokens.Count == 1 && TimeSpan.TryParse(result.Tokens[0].Value, CultureInfo.InvariantCulture, out var value) && value <= TimeSpan.Zero)
            {
                result.AddError($"must be a positive duration, like {example}.");
            }
        });
        return option;
    }
}
