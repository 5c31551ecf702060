namespace StartFrame.Benchmarks;

/// <summary>
/// P3, second half, and scaling: uploads per second at each concurrency, and the naive function at
/// <see cref="BenchmarkPlan.ComparisonConcurrency"/>, all on 5 MB images. Each repetition runs every level once, the
/// naive run right after the core's at the same concurrency.
/// </summary>
internal static class ThroughputMeasurement
{
    public static async Task<ThroughputResult> MeasureAsync(BenchmarkEnvironment environment, TestUploads uploads, BenchmarkPlan plan, Progress progress, CancellationToken cancellationToken)
    {
        var core = plan.Concurrency.ToDictionary(c => c, _ => new List<LoadRun>());
        var naive = new List<LoadRun>();
        for (var repetition = 0; repetition < plan.ThroughputRepetitions; repetition++)
        {
            foreach (var concurrency in plan.Concurrency)
            {
                var names = await uploads.CreateAsync($"load/r{repetition}/c{concurrency}", BenchmarkPlan.LoadImageBytes, plan.UploadsPerRun(concurrency), cancellationToken);
                var run = await LoadRunner.RunAsync(environment, names, concurrency, (name, token) => environment.ProcessAsync(name, token), cancellationToken);
                core[concurrency].Add(run);
                await uploads.ResetAsync(cancellationToken);
                Report(progress, $"repetition {repetition + 1}/{plan.ThroughputRepetitions}, pipeline", run);

                if (concurrency == BenchmarkPlan.ComparisonConcurrency)
                {
                    var naiveNames = await uploads.CreateAsync($"load/r{repetition}/naive", BenchmarkPlan.LoadImageBytes, plan.UploadsPerRun(concurrency), cancellationToken);
                    var naiveRun = await LoadRunner.RunAsync(environment, naiveNames, concurrency, environment.Naive.ProcessAsync, cancellationToken);
                    naive.Add(naiveRun);
                    await uploads.ResetAsync(cancellationToken);
                    Report(progress, $"repetition {repetition + 1}/{plan.ThroughputRepetitions}, naive", naiveRun);
                }
            }
        }

        return new ThroughputResult(plan.Concurrency.Select(c => new LoadRuns(core[c])).ToList(), new LoadRuns(naive));
    }

    private static void Report(Progress progress, string what, LoadRun run) => progress.Line(
        $"throughput ({what}) at {run.Concurrency} concurrent: {run.UploadsPerSecond:0.0} uploads/s, mean {run.MeanLatencyMs:0.0} ms, " +
        $"{run.StorageRequestsPerUpload:0.##} storage requests/upload, Azurite CPU {run.AzuriteCpuPercent:0}% of a core");
}
