using System.Diagnostics;
using System.Runtime;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StartFrame.Core.Telemetry;

namespace StartFrame.Benchmarks;

/// <summary>
/// O1: what tracing costs an upload. This process's CPU time and its allocations per upload (10 KB, one at a time: the
/// spans cost the same whatever the size, so the small image is the hardest case for the ratio) with the core's spans
/// recorded and exported as the function app does — parent-based sampling over always-on, a batch processor — against
/// no span made at all (the core's <c>StartActivity</c> returns null). The exporters drop what they are handed: this is
/// the cost of making, tagging (with redaction) and handing over the spans, not of a network.
/// <para>
/// One SDK serves the whole run, as one serves a worker's life: building and disposing one per block charged the "on"
/// blocks with fresh memory, the JIT and threads that a worker pays once. The "off" blocks run under OpenTelemetry's
/// <see cref="SuppressInstrumentationScope"/>, which makes its listener answer "none" to every span: nothing is made,
/// nothing propagated, as with nobody listening. The metrics are recorded in both arms (an SDK cannot stop listening to
/// a meter without being disposed), so they are not in the ratio; their own work is a fraction of a microsecond per
/// measurement.
/// </para>
/// <para>
/// The figure is the median of per-pair ratios: each pair is an off block and an on block run back to back (in turn
/// off-first and on-first), so a drift of the machine between pairs cancels out, and many small pairs give the median a
/// confidence interval (a percentile bootstrap; optimistic when a state of the machine, such as the thread pool's spinning,
/// lasts many pairs, so that pairs are not independent). The JIT's compile time inside each block is taken out of its CPU
/// and reported apart: it is a cost each worker pays once, and here it would be charged to whichever arm a tier-up
/// happened to fall in. CPU is the process's: the in-process simulator answering the POST is in both sides alike (so the
/// ratio understates the core's own share: the absolute difference per upload is reported beside it), Azurite (another
/// process) in neither. Not in "on": the Azure Monitor exporter's own processors and its serialization.
/// </para>
/// </summary>
internal static class TracingCost
{
    public static async Task<TracingCostResult> MeasureAsync(BenchmarkEnvironment environment, TestUploads uploads, BenchmarkPlan plan, Progress progress, CancellationToken cancellationToken)
    {
        if (StartFrameTelemetry.Source.HasListeners())
        {
            throw new BenchmarkFailedException("Something in the benchmark already listens to the StartFrame source: the 'off' runs would not be off.");
        }

        var spans = new CountingExporter<Activity>();
        using var telemetry = Telemetry.Start(spans);
        for (var repetition = 0; repetition < plan.TracingWarmUpRepetitions; repetition++)
        {
            await MeasurePairAsync(environment, uploads, telemetry, spans, $"o1/warm-up{repetition}", plan.TracingUploads, offFirst: true, cancellationToken);
        }

        progress.Line($"O1 warm-up: {plan.TracingWarmUpRepetitions} off/on pairs of {plan.TracingUploads} uploads (not measured)");
        var pairs = new List<(BlockCost Off, BlockCost On)>();
        for (var repetition = 0; repetition < plan.TracingRepetitions; repetition++)
        {
            var (off, on) = await MeasurePairAsync(environment, uploads, telemetry, spans, $"o1/r{repetition}", plan.TracingUploads, offFirst: repetition % 2 == 0, cancellationToken);
            pairs.Add((off, on));
            if ((repetition + 1) % 8 == 0 || repetition + 1 == plan.TracingRepetitions)
            {
                progress.Line($"O1 pair {repetition + 1}/{plan.TracingRepetitions}: off {off.CpuMs:0.00} ms CPU, {off.Bytes / 1024:0.0} KiB; " +
                    $"on {on.CpuMs:0.00} ms CPU, {on.Bytes / 1024:0.0} KiB per upload; median on/off so far {Stats.Median(pairs.Select(CpuRatio)):0.00}×");
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

    /// <summary>An off block and an on block back to back, their uploads made together beforehand (setup, unmeasured).</summary>
    private static async Task<(BlockCost Off, BlockCost On)> MeasurePairAsync(BenchmarkEnvironment environment, TestUploads uploads, Telemetry telemetry, CountingExporter<Activity> spans, string prefix, int uploadsPerBlock, bool offFirst, CancellationToken cancellationToken)
    {
        var names = await uploads.CreateAsync(prefix, BenchmarkPlan.SmallImageBytes, 2 * uploadsPerBlock, cancellationToken);
        var (first, second) = (names.Take(uploadsPerBlock).ToList(), names.Skip(uploadsPerBlock).ToList());
        var firstCost = await MeasureBlockAsync(environment, telemetry, spans, first, traced: !offFirst, cancellationToken);
        var secondCost = await MeasureBlockAsync(environment, telemetry, spans, second, traced: offFirst, cancellationToken);
        await uploads.ResetAsync(cancellationToken);
        return offFirst ? (firstCost, secondCost) : (secondCost, firstCost);
    }

    private static async Task<BlockCost> MeasureBlockAsync(BenchmarkEnvironment environment, Telemetry telemetry, CountingExporter<Activity> spans, List<string> names, bool traced, CancellationToken cancellationToken)
    {
        telemetry.Flush();
        var exportedBefore = spans.Exported;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var jitBefore = JitInfo.GetCompilationTime();
        var cpuBefore = ProcessCpu.Now();
        var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);

        // Off: the SDK's listener declines every span started under this scope (it flows with the awaits below).
        using (traced ? null : SuppressInstrumentationScope.Begin())
        {
            foreach (var name in names)
            {
                await environment.ProcessAsync(name, cancellationToken);
            }
        }

        // The export is part of the cost: flushed inside the window, on whichever thread does it.
        telemetry.Flush();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
        var cpu = ProcessCpu.Now() - cpuBefore;
        var jit = JitInfo.GetCompilationTime() - jitBefore;
        var exported = spans.Exported - exportedBefore;
        if (traced ? exported == 0 : exported != 0)
        {
            throw new BenchmarkFailedException(traced
                ? "Tracing was on but no span was exported: the 'on' runs measured nothing."
                : $"Tracing was off but {exported} spans were exported: the 'off' runs were not off.");
        }

        return new BlockCost((cpu - jit).TotalMilliseconds / names.Count, jit.TotalMilliseconds / names.Count, (double)bytes / names.Count, (double)exported / names.Count);
    }

    private sealed record BlockCost(double CpuMs, double JitMs, double Bytes, double Spans);

    /// <summary>The SDK as the function app sets it up, listening to the core's source and meter; one for the run.</summary>
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
