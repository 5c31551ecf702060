namespace StartFrame.Benchmarks;

/// <summary>The summaries the report uses.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            throw new InvalidOperationException("No values to summarise.");
        }

        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static double Mean(IEnumerable<double> values) => values.Average();

    /// <summary>
    /// The 95% percentile-bootstrap interval of the median of <paramref name="values"/>: the medians of 2,000 resamples
    /// (drawn with replacement, a fixed seed so the same values give the same interval), their 2.5th and 97.5th percentiles.
    /// </summary>
    public static (double Low, double High) MedianInterval(IReadOnlyList<double> values)
    {
        const int Resamples = 2000;
        var random = new Random(20261206);
        var medians = new double[Resamples];
        var sample = new double[values.Count];
        for (var r = 0; r < Resamples; r++)
        {
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = values[random.Next(values.Count)];
            }

            medians[r] = Median(sample);
        }

        Array.Sort(medians);
        return (medians[(int)(Resamples * 0.025)], medians[(int)(Resamples * 0.975) - 1]);
    }
}
