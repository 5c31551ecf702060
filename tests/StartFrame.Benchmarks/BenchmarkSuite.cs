using System.Diagnostics;
using System.Net;
using StartFrame.Core.WaysIn;

namespace StartFrame.Benchmarks;

/// <summary>Warm-up, then the figures in the order the report gives them.</summary>
internal static class BenchmarkSuite
{
    public static async Task<BenchmarkResults> RunAsync(BenchmarkEnvironment environment, BenchmarkPlan plan, Progress progress, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(plan);
        var loadAverage = MachineCpu.LoadAverage();
        using var self = Process.GetCurrentProcess();
        using var azurite = Process.GetProcessById(environment.Azurite.ProcessId);
        var cpuBefore = (Machine: MachineCpu.Sample(), Self: self.TotalProcessorTime, Azurite: azurite.TotalProcessorTime);
        var started = Stopwatch.GetTimestamp();
        var uploads = new TestUploads(environment);
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler);
        var raw = new RawRoundTrips(environment.Uploads, environment.Ledger, environment.Tasks, environment.Tracking, http, environment.Simulator.BaseAddress, BenchmarkEnvironment.ApiKey);

        var bodies = await Phase.RunAsync("warm-up (JIT, connection pools)", plan.PhaseLimit, progress, token => WarmUpAsync(environment, uploads, raw, plan, token), stop);
        var transactions = await Phase.RunAsync("P1 storage transactions", plan.PhaseLimit, progress, token => TransactionCount.MeasureAsync(environment, uploads, plan, progress, token), stop);
        var allocations = await Phase.RunAsync("P2 allocations", plan.PhaseLimit, progress, token => AllocationMeasurement.MeasureAsync(environment, uploads, raw, bodies, plan, progress, token), stop);
        var latency = await Phase.RunAsync("P3 latency against raw round trips", plan.PhaseLimit, progress, token => LatencyMeasurement.MeasureAsync(environment, uploads, raw, bodies, plan, progress, token), stop);
        var throughput = await Phase.RunAsync("P3 throughput and scaling", plan.PhaseLimit * 2, progress, token => ThroughputMeasurement.MeasureAsync(environment, uploads, plan, progress, token), stop);
        var tracing = await MeasureTracingAsync(environment, uploads, plan, progress, stop);
        var (tracking, copies) = await MeasureTrackingAsync(environment, plan, progress, stop);
        var batch = await MeasureBatchAsync(environment, plan, progress, stop);
        var elapsed = Stopwatch.GetElapsedTime(started);
        self.Refresh();
        azurite.Refresh();
        var others = MachineCpu.BusyBetween(cpuBefore.Machine, MachineCpu.Sample(), elapsed)
            - (self.TotalProcessorTime - cpuBefore.Self) - (azurite.TotalProcessorTime - cpuBefore.Azurite);
        var load = new MachineLoad(loadAverage, Math.Max(0, 100 * others / (elapsed * Environment.ProcessorCount)));
        return new BenchmarkResults(transactions, allocations, latency, throughput, tracing, tracking, copies, batch, load, elapsed);
    }

    /// <summary>T1 and T2 on an Azurite of their own: the upload phases left thousands of first polls and ledger rows in
    /// the main one, which are not these videos' and would slow its queue scans.</summary>
    private static async Task<(IReadOnlyList<TrackingCostResult>, IReadOnlyList<CopyMemoryResult>)> MeasureTrackingAsync(
        BenchmarkEnvironment environment, BenchmarkPlan plan, Progress progress, CancellationToken stop)
    {
        await using var azurite = await StartFrame.LocalDev.AzuriteServer.StartAsync(environment.Layout, progress.Line, stop);
        progress.Line($"a second Azurite for tracking, pid {azurite.ProcessId}");
        var tracking = await Phase.RunAsync("T1 tracking cost by generation time (fake clock)", plan.PhaseLimit * 2, progress, token => TrackingCost.MeasureAsync(azurite, plan.TrackingVideos, progress, token), stop);
        var copies = await Phase.RunAsync("T2 memory while copying a video", plan.PhaseLimit, progress, token => CopyMemory.MeasureAsync(azurite, progress, token), stop);
        return (tracking, copies);
    }

    /// <summary>O1 on the main environment (<c>--only O1</c> runs it alone, after its own warm-up block).</summary>
    public static Task<TracingCostResult> MeasureTracingAsync(BenchmarkEnvironment environment, TestUploads uploads, BenchmarkPlan plan, Progress progress, CancellationToken stop) =>
        Phase.RunAsync("O1 cost of tracing per upload (off vs on)", plan.TracingLimit, progress, token => TracingCost.MeasureAsync(environment, uploads, plan, progress, token), stop);

    /// <summary>P4 on an Azurite of its own, like T1: a batch's queues and ledger start empty, whatever ran before.</summary>
    public static async Task<Batch.BatchResult> MeasureBatchAsync(BenchmarkEnvironment environment, BenchmarkPlan plan, Progress progress, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(plan);
        await using var azurite = await StartFrame.LocalDev.AzuriteServer.StartAsync(environment.Layout, progress.Line, stop);
        progress.Line($"an Azurite for P4, pid {azurite.ProcessId}");
        return await Phase.RunAsync(
            $"P4 a batch at the provider's pace (N={plan.Batch.Uploads}, C={plan.Batch.Concurrency}, two instances, fake clock)",
            plan.PhaseLimit * 2,
            progress,
            token => Batch.BatchAtProviderPace.MeasureAsync(azurite, plan.Batch, progress, token),
            stop);
    }

    /// <summary>Runs every path once or more before anything is measured, and keeps what the core sent for the raw round trips.</summary>
    private static async Task<UploadBodies> WarmUpAsync(BenchmarkEnvironment environment, TestUploads uploads, RawRoundTrips raw, BenchmarkPlan plan, CancellationToken cancellationToken)
    {
        var names = await uploads.CreateAsync("warmup/core", BenchmarkPlan.LoadImageBytes, plan.WarmUpUploads, cancellationToken);
        ProcessingOutcome? last = null;
        foreach (var name in names)
        {
            environment.Simulator.ClearRequests();
            last = await environment.ProcessAsync(name, cancellationToken);
        }

        var posted = environment.Simulator.Requests.Single().Body?.ToJsonString()
            ?? throw new BenchmarkFailedException("The simulator kept no body for the core's POST.");
        var bodies = await UploadBodies.CaptureAsync(last!, posted, environment.SetupLedger, cancellationToken);
        await uploads.ResetAsync(cancellationToken);

        var rawNames = await uploads.CreateAsync("warmup/raw", BenchmarkPlan.LoadImageBytes, plan.WarmUpUploads, cancellationToken);
        foreach (var name in rawNames)
        {
            await raw.RunAsync(name, bodies, cancellationToken);
        }

        // Bursts at the highest concurrency grow the connection pools and the thread pool to what the runs need.
        var top = plan.Concurrency.Max();
        var burst = await uploads.CreateAsync("warmup/burst", BenchmarkPlan.LoadImageBytes, plan.WarmUpBurst, cancellationToken);
        await LoadRunner.RunAsync(environment, burst, top, (name, token) => environment.ProcessAsync(name, token), cancellationToken);
        await uploads.ResetAsync(cancellationToken);
        var naiveBurst = await uploads.CreateAsync("warmup/naive", BenchmarkPlan.LoadImageBytes, BenchmarkPlan.ComparisonConcurrency * 2, cancellationToken);
        await LoadRunner.RunAsync(environment, naiveBurst, BenchmarkPlan.ComparisonConcurrency, environment.Naive.ProcessAsync, cancellationToken);
        await uploads.ResetAsync(cancellationToken);
        return bodies;
    }
}
