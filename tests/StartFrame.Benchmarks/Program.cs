// The benchmark: `dotnet run -c Release --project tests/StartFrame.Benchmarks [-- [--quick] [--only P4|O1]]`.
//
// A plain harness (Stopwatch, GC.GetTotalAllocatedBytes, medians of repetitions) rather than BenchmarkDotNet:
// every figure here is a round trip to Azurite, a separate node process, and the simulator, where BenchmarkDotNet
// would re-run each case in a fresh process per job, with nanosecond-grade machinery around calls that take
// milliseconds; it has no place for "each invocation needs a fresh blob made beforehand, unmeasured", for
// transactions counted per upload, for uploads/s at a concurrency, or for a ratio against a baseline measured in
// the same run. Warm-up, repetitions and medians are done here explicitly instead.
//
// The table goes to stdout and to artifacts/benchmarks/latest.md; progress goes to stderr. Ctrl+C (or SIGTERM)
// stops the run and still stops Azurite by its pid.
using System.Runtime.InteropServices;
using StartFrame.Benchmarks;

BenchmarkPlan plan;
try
{
    plan = BenchmarkPlan.FromArguments(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var progress = new Progress();
using var stop = new CancellationTokenSource(plan.OverallLimit);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    await using var environment = await BenchmarkEnvironment.StartAsync(progress, stop.Token);
    var machine = await MachineInfo.CaptureAsync(environment.Layout, stop.Token);
    string report;
    TimeSpan duration;
    if (plan.OnlyBatch)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var batch = await BenchmarkSuite.MeasureBatchAsync(environment, plan, progress, stop.Token);
        duration = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        report = MarkdownReport.RenderBatchOnly(batch, machine, plan, duration);
    }
    else if (plan.OnlyTracing)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var tracing = await BenchmarkSuite.MeasureTracingAsync(environment, new TestUploads(environment), plan, progress, stop.Token);
        duration = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        report = MarkdownReport.RenderTracingOnly(tracing, machine, plan, duration);
    }
    else
    {
        var results = await BenchmarkSuite.RunAsync(environment, plan, progress, stop.Token);
        duration = results.Duration;
        report = MarkdownReport.Render(results, machine, plan);
    }

    var path = Path.Combine(environment.Layout.Root, "artifacts", "benchmarks", "latest.md");
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await File.WriteAllTextAsync(path, report, CancellationToken.None);
    Console.Out.Write(report);
    progress.Line($"done in {duration.TotalMinutes:0.0} min; the table is also in {path}");
    return 0;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    progress.Line($"stopped (interrupted, or over the run's limit of {plan.OverallLimit.TotalMinutes:0} min); nothing was written");
    return 130;
}
catch (BenchmarkFailedException ex)
{
    progress.Line($"failed: {ex.Message}");
    return 1;
}

void Stop(PosixSignalContext context)
{
    // The first signal unwinds (disposing Azurite and the simulator); a second one is let through and kills at once.
    if (!stop.IsCancellationRequested)
    {
        context.Cancel = true;
        progress.Line($"{context.Signal}: stopping ...");
        stop.Cancel();
    }
}
