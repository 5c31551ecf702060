using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelStream.Simulator;

/// <summary>
/// Durations as a person types them: a number with its unit (<c>500ms</c>, <c>20s</c>, <c>2m</c>, <c>1h</c>, <c>2d</c>),
/// or a TimeSpan with colons (<c>00:00:30</c>, <c>1.00:00:00</c>). A bare number is refused: TimeSpan reads <c>3</c> as
/// three days, which nobody typing <c>--generation-time 3</c> meant.
/// </summary>
internal static partial class DurationText
{
    public const string Accepted = "a number with a unit (500ms, 20s, 2m, 1h, 2d) or hh:mm:ss";

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var trimmed = text.Trim();
        var match = WithUnit().Match(trimmed);
        if (match.Success)
        {
            var number = double.Parse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            var milliseconds = match.Groups["unit"].Value.ToLowerInvariant() switch
            {
                "ms" => number,
                "s" => number * 1_000,
                "m" => number * 60_000,
                "h" => number * 3_600_000,
                _ => number * 86_400_000,
            };
            if (milliseconds > TimeSpan.MaxValue.TotalMilliseconds)
            {
                return false;
            }

            value = TimeSpan.FromMilliseconds(milliseconds);
            return true;
        }

        // Only the colon form of TimeSpan: its bare-number form ("3" = 3 days) is the trap this type exists to close.
        return trimmed.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(trimmed, CultureInfo.InvariantCulture, out value)
            && value >= TimeSpan.Zero;
    }

    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]+)?)\s*(?<unit>ms|s|m|h|d)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WithUnit();
}
