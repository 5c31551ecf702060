namespace StartFrame.Core.Problems;

/// <summary>"Did you mean ...?" for typos in field names, enum values and model ids.</summary>
internal static class NameSuggestions
{
    /// <summary>The candidate closest to <paramref name="typed"/>, if it is close enough to be a likely typo.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var typedLower = typed.ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            var distance = Distance(typedLower, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        // Two edits catch doubled letters and swaps; a proportional cap stops 'a' from "meaning" 'bgm'.
        var tolerance = Math.Min(2, Math.Max(1, typed.Length / 3));
        return best is not null && bestDistance <= tolerance ? best : null;
    }

    /// <summary><c>; did you mean 'x'?</c> or nothing.</summary>
    public static string Hint(string typed, IEnumerable<string> candidates, Func<string, string> quote)
        => Closest(typed, candidates) is { } match ? $"; did you mean {quote(match)}?" : string.Empty;

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent swaps). Typed input is capped short by the caller.</summary>
    private static int Distance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return string.Equals(a, b, StringComparison.Ordinal) ? 0 : int.MaxValue;
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
}
