namespace StartFrame.Benchmarks;

/// <summary>
/// P2: bytes allocated per upload, for a small and a large image. <see cref="GC.GetTotalAllocatedBytes(bool)"/> around a
/// sequential run of uploads: it counts every thread, so the continuations that resume on pool threads after each
/// await are included (a per-thread counter would miss most of the work). It also counts what else this process
/// does meanwhile — the in-process simulator answering the POST, the reader of Azurite's output — the same for both
/// sizes, so the difference is the core's alone. Sizes alternate in order between repetitions; the median is kept.
/// </summary>
internal static class AllocationMeasurement
{
    public static async Task<AllocationResult> MeasureAsync(
        BenchmarkEnvironment environment,
        TestUploads uploads,
        RawRoundTrips raw,
        UploadBodies bodies,
        BenchmarkPlan plan,
        Progress progress,
        CancellationToken cancellationToken)
    {
        var small = new List<double>();
        var large = new List<double>();
        var rawRuns = new List<double>();
        for (var repetition = 0; repetition < plan.AllocationRepetitions; repetition++)
        {
            int[] sizes = repetition % 2 == 0
                ? [BenchmarkPlan.SmallImageBytes, BenchmarkPlan.LargeImageBytes]
                : [BenchmarkPlan.LargeImageBytes, BenchmarkPlan.SmallImageBytes];
            foreach (var size in sizes)
            {
                var names = await uploads.CreateAsync($"p2/core/r{repetition}/s{size}", size, plan.AllocationUploads, cancellationToken);
                var bytes = await AllocatedPerCallAsync(names, name => environment.ProcessAsync(name, cancellationToken));
                (size == BenchmarkPlan.SmallImageBytes ? small : large).Add(bytes);
                await uploads.ResetAsync(cancellationToken);
            }

            var rawNames = await uploads.CreateAsync($"p2/raw/r{repetition}", BenchmarkPlan.SmallImageBytes, plan.AllocationUploads, cancellationToken);
            rawRuns.Add(await AllocatedPerCallAsync(rawNames, name => raw.RunAsync(name, bodies, cancellationToken)));
            await uploads.ResetAsync(cancellationToken);
            progress.Line($"P2 repetition {repetition + 1}/{plan.AllocationRepetitions}: {Kib(small[^1])} KiB (10 KB), {Kib(large[^1])} KiB (50 MB), raw round trips {Kib(rawRuns[^1])} KiB per upload");
        }

        var naiveSmall = new List<double>();
        var naiveLarge = new List<double>();
        for (var repetition = 0; repetition < plan.NaiveAllocationRepetitions; repetition++)
        {
            foreach (var size in new[] { BenchmarkPlan.SmallImageBytes, BenchmarkPlan.LargeImageBytes })
            {
                var names = await uploads.CreateAsync($"p2/naive/r{repetition}/s{size}", size, plan.NaiveAllocationUploads, cancellationToken);
                var bytes = await AllocatedPerCallAsync(names, name => environment.Naive.ProcessAsync(name, cancellationToken));
                (size == BenchmarkPlan.SmallImageBytes ? naiveSmall : naiveLarge).Add(bytes);
                await uploads.ResetAsync(cancellationToken);
            }

            progress.Line($"P2 naive repetition {repetition + 1}/{plan.NaiveAllocationRepetitions}: {Kib(naiveSmall[^1])} KiB (10 KB), {Kib(naiveLarge[^1])} KiB (50 MB)");
        }

        return new AllocationResult(
            Stats.Median(small),
            Stats.Median(large),
            Stats.Median(naiveSmall),
            Stats.Median(naiveLarge),
            Stats.Median(rawRuns),
            plan.AllocationRepetitions,
            plan.AllocationUploads);
    }

    private static async Task<double> AllocatedPerCallAsync(IReadOnlyList<string> names, Func<string, Task> call)
    {
        // Setup's leftovers (responses, streams) are finalized now rather than, allocating, inside the window.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        foreach (var name in names)
        {
            await call(name);
        }

        var after = GC.GetTotalAllocatedBytes(precise: true);
        return (after - before) / (double)names.Count;
    }

    private static string Kib(double bytes) => (bytes / 1024).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
}
