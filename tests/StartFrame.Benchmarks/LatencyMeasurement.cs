using System.Diagnostics;

namespace StartFrame.Benchmarks;

/// <summary>
/// P3, first half: the wall time of one upload through the pipeline against the sum of the same round trips made
/// directly, back to back (<see cref="RawRoundTrips"/>), one at a time. The two alternate which goes first, upload by
/// upload, so drift (Azurite's heap growing, the machine's other load) weighs on both alike.
/// </summary>
internal static class LatencyMeasurement
{
    public static async Task<LatencyResult> MeasureAsync(
        BenchmarkEnvironment environment,
        TestUploads uploads,
        RawRoundTrips raw,
        UploadBodies bodies,
        BenchmarkPlan plan,
        Progress progress,
        CancellationToken cancellationToken)
    {
        var total = plan.LatencyWarmUp + plan.LatencyIterations;
        var coreNames = await uploads.CreateAsync("p3/core", BenchmarkPlan.LoadImageBytes, total, cancellationToken);
        var rawNames = await uploads.CreateAsync("p3/raw", BenchmarkPlan.LoadImageBytes, total, cancellationToken);
        var core = new List<double>();
        var rawTotals = new List<double>();
        var rawSteps = new List<double[]>();
        for (var i = 0; i < total; i++)
        {
            double coreMs;
            double[] laps;
            if (i % 2 == 0)
            {
                coreMs = await TimeAsync(() => environment.ProcessAsync(coreNames[i], cancellationToken));
                laps = await raw.RunAsync(rawNames[i], bodies, cancellationToken);
            }
            else
            {
                laps = await raw.RunAsync(rawNames[i], bodies, cancellationToken);
                coreMs = await TimeAsync(() => environment.ProcessAsync(coreNames[i], cancellationToken));
            }

            if (i >= plan.LatencyWarmUp)
            {
                core.Add(coreMs);
                rawTotals.Add(laps.Sum());
                rawSteps.Add(laps);
            }

            if ((i + 1) % 50 == 0)
            {
                progress.Line($"P3 latency: {i + 1}/{total}");
            }
        }

        await uploads.ResetAsync(cancellationToken);
        var steps = RawRoundTrips.Steps
            .Select((step, index) => new StepTiming(step, Stats.Median(rawSteps.Select(laps => laps[index])), Stats.Mean(rawSteps.Select(laps => laps[index]))))
            .ToList();
        var result = new LatencyResult(core.Count, Stats.Mean(core), Stats.Median(core), Stats.Mean(rawTotals), Stats.Median(rawTotals), steps);
        progress.Line($"P3 latency: pipeline {result.MeanMs:0.00} ms, raw round trips {result.RawMeanMs:0.00} ms (mean), {result.Ratio:0.00}x");
        return result;
    }

    private static async Task<double> TimeAsync(Func<Task> call)
    {
        var started = Stopwatch.GetTimestamp();
        await call();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }
}
