using System.Diagnostics;
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
/// (with redaction) and handing over the spans and measurements, not of a network. Blocks alternate off/on (and on/off)
/// so the machine's drift hits both; the medians are compared, after unmeasured off/on pairs of blocks (the JIT's
/// tiering of the pipeline and the SDK settles there, not in the measured blocks). CPU is the process's: the in-process simulator answering
/// the POST is in both sides alike (so the ratio understates the core's own share: the absolute difference per upload
/// is reported beside it), Azurite (another process) in neither. CPU is read with <see cref="ProcessCpu"/> (nanoseconds
/// on Linux). Not in "on": the Azure Monitor exporter's own processors and its serialization, which need its endpoint.
/// </summary>
internal static class TracingCost
{
    public static async Task<TracingCostResult> MeasureAsync(BenchmarkEnvironment environment, TestUploads uploads, BenchmarkPlan plan, Progress progress, CancellationToken cancellationToken)
    {
        if (StartFrameTelemetry.Source.HasListeners())
        {
            throw new BenchmarkFailedException("Something in the benchmark already listens to the StartFrame source: the 'off' runs would not be off.");
        }

        for (var repetition = 0; repetition < plan.TracingWarmUpRepetitions; repetition++)
        {
            foreach (var traced in (bool[])[false, true])
            {
                var warmUp = await uploads.CreateAsync($"o1/warm-up{repetition}/{(traced ? "on" : "off")}", BenchmarkPlan.SmallImageBytes, plan.TracingUploads, cancellationToken);
                await MeasureBlockAsync(environment, warmUp, traced, cancellationToken);
                await uploads.ResetAsync(cancellationToken);
            }

            progress.Line($"O1 warm-up {repetition + 1}/{plan.TracingWarmUpRepetitions} (not measured)");
        }

        var off = new List<BlockCost>();
        var on = new List<BlockCost>();
        for (var repetition = 0; repetition < plan.TracingRepetitions; repetition++)
        {
            bool[] order = repetition % 2 == 0 ? [false, true] : [true, false];
            foreach (var traced in order)
            {
                var names = await uploads.CreateAsync($"o1/r{repetition}/{(traced ? "on" : "off")}", BenchmarkPlan.SmallImageBytes, plan.TracingUploads, cancellationToken);
                var cost = await MeasureBlockAsync(environment, names, traced, cancellationToken);
                (traced ? on : off).Add(cost);
                await uploads.ResetAsync(cancellationToken);
            }

            progress.Line($"O1 repetition {repetition + 1}/{plan.TracingRepetitions}: off {off[^1].CpuMs:0.00} ms CPU, {off[^1].Bytes / 1024:0.0} KiB; " +
                $"on {on[^1].CpuMs:0.00} ms CPU, {on[^1].Bytes / 1024:0.0} KiB per upload");
        }

        return new TracingCostResult(
            Stats.Median(off.Select(b => b.CpuMs).ToList()),
            Stats.Median(on.Select(b => b.CpuMs).ToList()),
            Stats.Median(off.Select(b => b.Bytes).ToList()),
            Stats.Median(on.Select(b => b.Bytes).ToList()),
            Stats.Median(on.Select(b => b.Spans).ToList()),
            plan.TracingRepetitions,
            plan.TracingWarmUpRepetitions,
            plan.TracingUploads);
    }

    private static async Task<BlockCost> MeasureBlockAsync(BenchmarkEnvironment environment, IReadOnlyList<string> names, bool traced, CancellationToken cancellationToken)
    {
        var spans = new CountingExporter<Activity>();
        using var tracing = traced
            ? Sdk.CreateTracerProviderBuilder()
                .AddSource(StartFrameTelemetry.Name)
                .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
                .AddProcessor(new BatchActivityExportProcessor(spans))
                .Build()
            : null;
        using var metrics = traced
            ? Sdk.CreateMeterProviderBuilder()
                .AddMeter(StartFrameTelemetry.Name)
                .AddReader(new PeriodicExportingMetricReader(new CountingExporter<Metric>()))
                .Build()
            : null;

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var cpuBefore = ProcessCpu.Now();
        var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
        foreach (var name in names)
        {
            await environment.ProcessAsync(name, cancellationToken);
        }

        // The export is part of the cost: flushed inside the window, on whichever thread does it.
        tracing?.ForceFlush();
        metrics?.ForceFlush();
        var bytes = GC.GetTotalAllocatedBytes(precise: true) - bytesBefore;
        var cpu = ProcessCpu.Now() - cpuBefore;
        if (traced && spans.Exported == 0)
        {
            throw new BenchmarkFailedException("Tracing was on but no span was exported: the 'on' runs measured nothing.");
        }

        return new BlockCost(cpu.TotalMilliseconds / names.Count, (double)bytes / names.Count, (double)spans.Exported / names.Count);
    }

    private sealed record BlockCost(double CpuMs, double Bytes, double Spans);

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

/// <summary>O1: per upload, with telemetry off and on (medians over repetitions).</summary>
internal sealed record TracingCostResult(double OffCpuMs, double OnCpuMs, double OffBytes, double OnBytes, double SpansPerUpload, int Repetitions, int WarmUpRepetitions, int UploadsPerBlock)
{
    public double CpuRatio => OnCpuMs / OffCpuMs;

    public double CpuDifferenceMs => OnCpuMs - OffCpuMs;

    public double BytesRatio => OnBytes / OffBytes;
}
