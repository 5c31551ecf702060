using System.Diagnostics;
using System.Runtime;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StartFrame.Core.Telemetry;

namespace StartFrame.Benchmarks;

/// <summary>
/// O1: what telemetry costs an upload. This process's CPU time and its allocations per upload (10 KB, one at a time: the
/// spans cost the same whatever the size, so the small image is the hardest case for the ratio) with
/// the OpenTelemetry SDK listening to the core's source and meter as the function app does — parent-based sampling over
/// always-on, a batch processor, a metric reader — against nobody listening (the core's <c>StartActivity</c> then returns
/// null and its instruments record nothing). The exporters drop what they are handed: this is the cost of making, tagging
/// (with redaction) and handing over the spans and measurements, not of a network.
/// <para>
/// The figure is the median of per-pair ratios: each pair is an off block and an on block run back to back (in turn
/// off-first and on-first), so a drift of the machine between pairs cancels out, and many small pairs give the median a
/// confidence interval (a percentile bootstrap; optimistic when a state of the machine, such as the thread pool's spinning,
/// lasts many pairs, so that pairs are not independent). The JIT's compile time inside
/// each block is taken out of its CPU and reported apart: it is a cost each worker pays once, and here it would be charged
/// to whichever arm a tier-up happened to fall in (the SDK built per block keeps promoting methods long after the
/// pipeline's own are optimized). CPU is the process's: the in-process simulator answering the POST is in both sides alike
/// (so the ratio understates the core's own share: the absolute difference per upload is reported beside it), Azurite
/// (another process) in neither. Not in "on": the Azure Monitor exporter's own processors and its serialization.
/// </para>
/// </summary>
internal static class TracingCost
{
    // How often the SDK is built, flushed and disposed before anything is measured: more than the JIT's call count for
    // promoting a method, so the set-up each block repeats runs optimized code from the first measured block.
    private const int SdkWarmUps = 40;

    // Uploads each block runs after building the SDK and before its window opens: a new provider's first span and first
    // measurement initialise what it builds lazily, a cost a function app pays once per worker, not per block.
    private const int BlockWarmUps = 3;

    public static async Task<TracingCostResult> MeasureAsync(BenchmarkEnvironment environment, TestUploads uploads, BenchmarkPlan plan, Progress progress, CancellationToken cancellationToken)
    {
        if (StartFrameTelemetry.Source.HasListeners())
        {
            throw new BenchmarkFailedException("Something in the benchmark already listens to the StartFrame source: the 'off' runs would not be off.");
        }

        for (var i = 0; i < SdkWarmUps; i++)
        {
            using var telemetry = Telemetry.Start(new CountingExporter<Activity>());
            telemetry.Flush();
        }

        for (var repetition = 0; repetition < plan.TracingWarmUpRepetitions; repetition++)
        {
            foreach (var traced in (bool[])[false, true])
            {
                var warmUp = await uploads.CreateAsync($"o1/warm-up{repetition}/{(traced ? "on" : "off")}", BenchmarkPlan.SmallImageBytes, plan.TracingUploads + BlockWarmUps, cancellationToken);
                await MeasureBlockAsync(environment, warmUp, traced, cancellationToken);
                await uploads.ResetAsync(cancellationToken);
            }
        }

        progress.Line($"O1 warm-up: {plan.TracingWarmUpRepetitions} off/on pairs of {plan.TracingUploads} uploads (not measured)");
        var pairs = new List<(BlockCost Off, BlockCost On)>();
        for (var repetition = 0; repetition < plan.TracingRepetitions; repetition++)
        {
            bool[] order = repetition % 2 == 0 ? [false, true] : [true, false];
            BlockCost? off = null, on = null;
            foreach (var traced in order)
            {
                var names = await uploads.CreateAsync($"o1/r{repetition}/{(traced ? "on" : "off")}", BenchmarkPlan.SmallImageBytes, plan.TracingUploads + BlockWarmUps, cancellationToken);
                var cost = await MeasureBlockAsync(environment, names, traced, cancellationToken);
                (off, on) = traced ? (off, cost) : (cost, on);
                await uploads.ResetAsync(cancellationToken);
            }

            pairs.Add((off!, on!));
            if ((repetition + 1) % 4 == 0 || repetition + 1 == plan.TracingRepetitions)
            {
                progress.Line($"O1 pair {repetition + 1}/{plan.TracingRepetitions}: off {off!.CpuMs:0.00} ms CPU, {off.Bytes / 1024:0.0} KiB; " +
                    $"on {on!.CpuMs:0.00} ms CPU, {on.Bytes / 1024:0.0} KiB per upload; median on/off so far {Stats.Median(pairs.Select(CpuRatio)):0.00}×");
            }
        }

        var ratios = pairs.Select(CpuRatio).ToList();
        var (low, high) = Stats.MedianInterval(ratios);
        return new TracingCostResult(
            Stats.Median(pairs.Select(p => p.Off.CpuMs)),
            Stats.Median(pairs.Select(p => p.On.CpuMs)),
            Stats.Median(ratios),
            low,
            high,
            pairs.Average(p => p.Off.JitMs),
            pairs.Average(p => p.On.JitMs),
            Stats.Median(pairs.Select(p => p.Off.Bytes)),
            Stats.Median(pairs.Select(p => p.On.Bytes)),
            Stats.Median(pairs.Select(p => p.On.Spans)),
            plan.TracingRepetitions,
            plan.TracingWarmUpRepetitions,
            plan.TracingUploads);
    }

    /// <summary>A pair's on/off ratio of CPU per upload.</summary>
    private static double CpuRatio((BlockCost Off, BlockCost On) pair) => pair.On.CpuMs / pair.Off.CpuMs;

    private static async Task<BlockCost> MeasureBlockAsync(BenchmarkEnvironment environment, IReadOnlyList<string> names, bool traced, CancellationToken cancellationToken)
    {
        var spans = new CountingExporter<Activity>();
        using var telemetry = traced ? Telemetry.Start(spans) : null;
        foreach (var name in names.Take(BlockWarmUps))
        {
            await environment.ProcessAsync(name, cancellationToken);
        }

        telemetry?.Flush();
        var exportedBefore = spans.Exported;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var jitBefore = JitInfo.GetCompilationTime();
        var cpuBefore = ProcessCpu.Now();
        var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
        var measured = names.Skip(BlockWarmUps).ToList();
        foreach (var name in measured)
        {
            await environment.ProcessAsync(name, cancellationToken);
        }

        // The export is part of the cost: flushed inside the window, on whichever thread does it.
        telemetry?.Flush();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
        var cpu = ProcessCpu.Now() - cpuBefore;
        var jit = JitInfo.GetCompilationTime() - jitBefore;
        if (traced && spans.Exported == exportedBefore)
        {
            throw new BenchmarkFailedException("Tracing was on but no span was exported: the 'on' runs measured nothing.");
        }

        return new BlockCost((cpu - jit).TotalMilliseconds / measured.Count, jit.TotalMilliseconds / measured.Count, (double)bytes / measured.Count, (double)(spans.Exported - exportedBefore) / measured.Count);
    }

    private sealed record BlockCost(double CpuMs, double JitMs, double Bytes, double Spans);

    /// <summary>The SDK as the function app sets it up, listening to the core's source and meter.</summary>
    private sealed class Telemetry(TracerProvider tracing, MeterProvider metrics) : IDisposable
    {
        public static Telemetry Start(BaseExporter<Activity> spans) => new(
            Sdk.CreateTracerProviderBuilder()
                .AddSource(StartFrameTelemetry.Name)
                .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
                .AddProcessor(new BatchActivityExportProcessor(spans))
                .Build(),
            Sdk.CreateMeterProviderBuilder()
                .AddMeter(StartFrameTelemetry.Name)
                .AddReader(new PeriodicExportingMetricReader(new CountingExporter<Metric>()))
                .Build());

        public void Flush()
        {
            tracing.ForceFlush();
            metrics.ForceFlush();
        }

        public void Dispose()
        {
            tracing.Dispose();
            metrics.Dispose();
        }
    }

    /// <summary>An exporter that counts what it is handed and drops it.</summary>
    private sealed class CountingExporter<T> : BaseExporter<T>
        where T : class
    {
        private long _exported;

        public long Exported => Interlocked.Read(ref _exported);

        public override ExportResult Export(in Batch<T> batch)
        {
            Interlocked.Add(ref _exported, batch.Count);
            return ExportResult.Success;
        }
    }
}

/// <summary>O1: per upload, with telemetry off and on. CPU excludes the JIT's compile time (reported apart, per upload);
/// <see cref="CpuRatio"/> is the median of the per-pair on/off ratios, with its 95% bootstrap interval.</summary>
internal sealed record TracingCostResult(
    double OffCpuMs,
    double OnCpuMs,
    double CpuRatio,
    double CpuRatioLow,
    double CpuRatioHigh,
    double OffJitMs,
    double OnJitMs,
    double OffBytes,
    double OnBytes,
    double SpansPerUpload,
    int Repetitions,
    int WarmUpRepetitions,
    int UploadsPerBlock)
{
    public double CpuDifferenceMs => OnCpuMs - OffCpuMs;

    public double BytesRatio => OnBytes / OffBytes;
}
