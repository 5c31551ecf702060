using System.Globalization;
using System.Text;

namespace StartFrame.Benchmarks;

/// <summary>The run as markdown: the figures against their targets first, then the detail that explains them.</summary>
internal static class MarkdownReport
{
    // Seven against Azurite: the snapshot that pins the validated bytes for ModelStream, and the task's first tracking
    // message. Six in Azure with blob versioning, where the ranged GET already names the version and the SAS is signed for it.
    private const double MaxTransactions = 7;
    private const double MaxCopyGrowthBytes = 64 * 1024 * 1024;
    private const double MaxGrowthBytes = 256 * 1024;
    private const double MaxLatencyRatio = 1.2;
    private const double MinThroughputRatio = 3;
    private const double MaxTracingCpuRatio = 1.05;

    public static string Render(BenchmarkResults results, MachineInfo machine, BenchmarkPlan plan)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(plan);
        var (p1, p2, p3, load) = (results.Transactions, results.Allocations, results.Latency, results.Throughput);
        var at16 = load.CoreAt(BenchmarkPlan.ComparisonConcurrency).Median;
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line(F($"## StartFrame benchmark — {machine.Date:yyyy-MM-dd HH:mm} UTC"));
        Line();
        Line(F($"Machine: {machine.Cores} cores ({machine.Cpu}), {machine.Memory} RAM, {machine.Os}; {machine.Runtime}, {machine.Gc} GC; ") +
             F($"Azurite {machine.Azurite} on Node {machine.Node} (in memory, separate process); ModelStream simulator in process. ") +
             F($"Run: {plan.Name}, {results.Duration.TotalMinutes:0.0} min. ") +
             Contention(results.Load));
        Line();
        Line("| Figure | StartFrame | Compared with | Ratio | Target | Result |");
        Line("|---|--:|---|--:|---|---|");
        Line(F($"| P1 storage transactions per accepted upload | {p1.PerUpload:0.##} | naive function: {p1.NaivePerUpload:0.##} (no ledger; whole-blob GETs) | — | ≤ 7 ² | {AtMost(Math.Max(p1.PerUpload, p1.MostPerUpload), MaxTransactions, "0.##")} |"));
        Line(F($"| P2 bytes allocated per upload, 10 KB image | {Bytes(p2.Small)} | naive function: {Bytes(p2.NaiveSmall)}; the round trips alone, made directly: {Bytes(p2.RawRoundTrips)} | | | |"));
        Line(F($"| P2 bytes allocated per upload, 50 MB image | {Bytes(p2.Large)} | naive function: {Bytes(p2.NaiveLarge)} | | | |"));
        Line(F($"| P2 growth from 10 KB to 50 MB | {SignedBytes(p2.Difference)} | naive function: {SignedBytes(p2.NaiveDifference)} | — | < 256 KiB | {Below(p2.Difference, MaxGrowthBytes)} |"));
        Line(F($"| P3 mean wall time per upload, one at a time (5 MB) | {p3.MeanMs:0.00} ms | its round trips made directly, back to back: {p3.RawMeanMs:0.00} ms | {p3.Ratio:0.00}× | ≤ 1.2× | {AtMost(p3.Ratio, MaxLatencyRatio, "0.00")} |"));
        Line(F($"| P3 uploads/s at {BenchmarkPlan.ComparisonConcurrency} concurrent, 5 MB images | {at16.UploadsPerSecond:0.0} | naive function: {load.Naive.Median.UploadsPerSecond:0.0} | {load.Ratio:0.00}× ¹ | ≥ 3× | {AtLeast(load.Ratio, MinThroughputRatio)} |"));
        var o1 = results.Tracing;
        TracingRows(o1, plan, Line);
        var (small, large) = (results.Copies[0], results.Copies[^1]);
        Line(F($"| T2 peak working-set growth while copying a {large.VideoBytes / 1e6:0} MB video | {Bytes(large.PeakWorkingSetGrowth)} | a {small.VideoBytes / 1e6:0} MB video: {Bytes(small.PeakWorkingSetGrowth)} | — | flat: < 64 MiB | {Below(large.PeakWorkingSetGrowth, MaxCopyGrowthBytes)} |"));
        Line();
        Line(F($"¹ Median over {load.Repetitions} repetitions of the pipeline's rate over the naive function's, each pair run back to back; the rates are each the median run."));
        Line("² 5 before the snapshot and the first poll were added; the sixth is the snapshot that pins the validated image bytes (none in Azure with blob versioning, where the SAS names the version the ranged GET reported), the seventh the task's first tracking message, written with its task record.");
        Line(TracingFootnote(o1));
        Line();

        Line("### T1 — following one video to its end, by generation time (fake clock, real requests)");
        Line();
        Line("| Generation time | polls (API GETs) | API calls (with the submit) | deliveries | storage calls to submit | storage calls after, to the completion record | **storage calls per finished video** |");
        Line("|---|--:|--:|--:|--:|--:|--:|");
        foreach (var scenario in results.Tracking)
        {
            var cost = scenario.Median;
            Line(F($"| {scenario.Scenario.Label} | {cost.Polls} | {cost.Polls + 1} | {cost.Deliveries} | {cost.SubmissionStorageCalls} | {cost.TrackingStorageCalls} | **{cost.StorageCalls}** |"));
        }

        Line();
        Line(F($"Each video is uploaded (setup, not counted), submitted by the core and followed by the tracker on a fake clock shared with the simulator (generation time as given, on a second Azurite so the upload phases' leftovers are not in its way; ") +
             F($"default schedule: first poll after 10 s, doubling to 2 min, 15 min for off-peak). Tracking messages are sent with their real delay; a test policy makes Azurite show them at once and ") +
             F($"the driver delivers each at its due time on the fake clock, with a receive and a delete per delivery as the Functions host makes them (counted). ") +
             F($"Median of {results.Tracking[0].Videos.Count} videos per row (on a fake clock they cost the same). The video is the 2,222-byte sample: one Put Blob; ") +
             "a larger video adds one Put Block per 4 MiB and a Put Block List. The download of the result URL is not a storage call and not counted. " +
             "Not counted: the host's polling of an idle queue (at most every 2 s per instance, `maxPollingInterval`).");
        Line();

        Line("The storage requests after the submission of a 10-second video, which is finished at its first poll:");
        Line();
        Line("| Operation | Request (Azurite) | Count |");
        Line("|---|---|--:|");
        foreach (var operation in results.Tracking[0].Breakdown)
        {
            Line(F($"| {operation.Operation} | `{operation.Shape}` | {operation.PerUpload:0} |"));
        }

        Line();
        Line("### T2 — memory while copying a video into storage");
        Line();
        Line("| Video | peak working-set growth | peak managed-heap growth | bytes allocated | copy rate |");
        Line("|---|--:|--:|--:|--:|");
        foreach (var copy in results.Copies)
        {
            Line(F($"| {copy.VideoBytes:N0} bytes | {Bytes(copy.PeakWorkingSetGrowth)} | {Bytes(copy.PeakHeapGrowth)} | {Bytes(copy.AllocatedBytes)} | {copy.MegabytesPerSecond:0} MB/s |"));
        }

        Line();
        Line("One delivery of a finished task: the result URL's body (streamed by the in-process simulator, whose share is included) goes through " +
             "`BlobClient.UploadAsync` to Azurite in 4 MiB blocks, two in flight. Working set and managed heap are sampled every 10 ms during the copy, " +
             "against their level just before it (after a full collection); Azurite's own memory (it keeps blobs in memory) is a separate process and not included.");
        Line();

        text.Append(Batch.BatchReport.Render(results.Batch));

        Line("### P1 — the storage transactions of one accepted upload");
        Line();
        Line("| Operation | Request (Azurite) | Per upload |");
        Line("|---|---|--:|");
        foreach (var operation in p1.Breakdown)
        {
            Line(F($"| {operation.Operation} | `{operation.Shape}` | {operation.PerUpload:0.##} |"));
        }

        Line(F($"| **total** | | **{p1.PerUpload:0.##}** |"));
        Line();
        Line(F($"Counted by an Azure SDK pipeline policy on every Azure client of the core, placed per retry (a retry is billed, so it would count), ") +
             F($"over {p1.Uploads} uploads one at a time: {p1.FewestPerUpload}–{p1.MostPerUpload} per upload. ") +
             "Not counted: startup provisioning (container, queues, table: once per app start, not per upload). " +
             "The POST to ModelStream is not a storage transaction. The snapshot pins the bytes ModelStream downloads to the ones validated; " +
             F($"with blob versioning on (Azure), the ranged GET returns the version id, the SAS is signed for that version, and the snapshot is not made ({p1.PerUpload - 1:0.##} per upload). ") +
             "The user-delegation key is not used against Azurite: " +
             "with the account key the image's SAS is signed locally, without a request. In Azure, with a managed identity, " +
             "`ImageUrlIssuer` fetches one key per 6 hours per instance and reuses it, so it adds nothing measurable per upload.");
        Line();

        Line(F($"### P3 — one upload against its raw round trips ({p3.Iterations} of each, interleaved)"));
        Line();
        Line("| Round trip | median ms | mean ms |");
        Line("|---|--:|--:|");
        foreach (var step in p3.Steps)
        {
            Line(F($"| {step.Step} | {step.MedianMs:0.00} | {step.MeanMs:0.00} |"));
        }

        Line(F($"| **sum, made directly back to back** | **{p3.RawMedianMs:0.00}** | **{p3.RawMeanMs:0.00}** |"));
        Line(F($"| **the pipeline (`ProcessBlobAsync`)** | **{p3.MedianMs:0.00}** | **{p3.MeanMs:0.00}** |"));
        Line();

        Line(F($"### Scaling — uploads/s by concurrency, 5 MB images (median of {load.Repetitions} runs each)"));
        Line();
        Line("| Concurrent uploads | uploads/s | slowest–fastest run | vs 1 | mean latency ms | storage requests/upload | this process CPU ms/upload | Azurite CPU ms/upload | Azurite CPU, % of one core | other processes, % of machine |");
        Line("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        var single = load.Core[0].Median.UploadsPerSecond;
        foreach (var runs in load.Core)
        {
            Line(LoadRow(runs.Median.Concurrency.ToString(CultureInfo.InvariantCulture), runs, single));
        }

        Line(LoadRow(F($"{load.Naive.Median.Concurrency} — naive function"), load.Naive, single));
        Line();

        Line("Method: every upload is a distinct image blob with its own sidecar, so each claim is a real ledger insert; the blobs are " +
             "server-side copies of one uploaded image per size, made before each measured loop (setup, never timed or counted). " +
             "Images are valid PNG headers padded with an ancillary chunk; 10 KB, 5 MB and 50 MB are 10,000, 5,000,000 and 50,000,000 bytes " +
             "(50 MB is the catalog's limit). " +
             F($"P2 is `GC.GetTotalAllocatedBytes(true)` around {p2.UploadsPerRepetition} sequential uploads, median of {p2.Repetitions} repetitions; ") +
             "it counts every thread of this process, including the in-process simulator answering the POST and the reader of Azurite's output " +
             F($"(the same round trips made directly allocate {Bytes(p2.RawRoundTrips)} per upload), which cancels out of the growth. ") +
             "Throughput runs keep c uploads in flight; CPU is this process (core and simulator) and Azurite's node process over the run.");
        Line();
        Line(Limits(load));
        return text.ToString();
    }

    /// <summary>The report of a run of P4 alone (<c>--only P4</c>).</summary>
    public static string RenderBatchOnly(Batch.BatchResult batch, MachineInfo machine, BenchmarkPlan plan, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        text.Append(F($"## StartFrame benchmark, P4 alone — {machine.Date:yyyy-MM-dd HH:mm} UTC")).Append("\n\n");
        text.Append(F($"Machine: {machine.Cores} cores ({machine.Cpu}), {machine.Memory} RAM, {machine.Os}; {machine.Runtime}; ") +
                    F($"Azurite {machine.Azurite} on Node {machine.Node}; ModelStream simulator in process. Run: {plan.Name}, P4 only, {duration.TotalMinutes:0.0} min.")).Append("\n\n");
        text.Append(Batch.BatchReport.Render(batch));
        return text.ToString();
    }

    /// <summary>The report of a run of O1 alone (<c>--only O1</c>).</summary>
    public static string RenderTracingOnly(TracingCostResult tracing, MachineInfo machine, BenchmarkPlan plan, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(plan);
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');
        Line(F($"## StartFrame benchmark, O1 alone — {machine.Date:yyyy-MM-dd HH:mm} UTC"));
        Line();
        Line(F($"Machine: {machine.Cores} cores ({machine.Cpu}), {machine.Memory} RAM, {machine.Os}; {machine.Runtime}; ") +
             F($"Azurite {machine.Azurite} on Node {machine.Node}; ModelStream simulator in process. Run: {plan.Name}, O1 only, {duration.TotalMinutes:0.0} min."));
        Line();
        Line("| Figure | StartFrame | Compared with | Ratio | Target | Result |");
        Line("|---|--:|---|--:|---|---|");
        TracingRows(tracing, plan, Line);
        Line();
        Line(TracingFootnote(tracing));
        return text.ToString();
    }

    private static void TracingRows(TracingCostResult o1, BenchmarkPlan plan, Action<string> Line)
    {
        var o1Result = plan.IsQuick ? "— (quick run: not quoted)" : AtMost(o1.CpuRatio, MaxTracingCpuRatio, "0.00");
        Line(F($"| O1 this process's CPU per upload with tracing on (10 KB, one at a time; {o1.SpansPerUpload:0.#} spans) | {o1.OnCpuMs:0.000} ms ({o1.CpuDifferenceMs:+0.000;-0.000} ms) | tracing off: {o1.OffCpuMs:0.000} ms | {o1.CpuRatio:0.00}× (95% CI {o1.CpuRatioLow:0.00}–{o1.CpuRatioHigh:0.00}) ³ | ≤ 1.05× | {o1Result} |"));
        Line(F($"| O1 bytes allocated per upload with tracing on | {Bytes(o1.OnBytes)} | tracing off: {Bytes(o1.OffBytes)} | {o1.BytesRatio:0.00}× | | |"));
    }

    private static string TracingFootnote(TracingCostResult o1) =>
        F($"³ The core's spans recorded by the OpenTelemetry SDK as the function app sets it up (parent-based sampling, batch processor; an exporter that drops what it is handed; not its failed-span keeper) against no span made (OpenTelemetry's SuppressInstrumentationScope around the off blocks); one SDK for the whole run, as for a worker's life; its metrics are recorded in both arms; the median of the on/off ratios of {o1.Repetitions} pairs of blocks of {o1.UploadsPerBlock} uploads (each pair back to back, in turn off-first and on-first; its 95% percentile-bootstrap interval beside it), after {o1.WarmUpRepetitions} unmeasured pairs; the ms are the medians of the blocks. CPU is this process's, {(ProcessCpu.Precise ? "read to the nanosecond (CLOCK_PROCESS_CPUTIME_ID)" : "in the OS's clock ticks")}, less the JIT's compile time in the block ({o1.OffJitMs * 1000:0} µs per upload off, {o1.OnJitMs * 1000:0} µs on: a cost each worker pays once); the in-process simulator is in both sides alike (the ratio understates the core's own share, hence the difference beside it); Azurite's is in neither; the Azure Monitor exporter's own processors and serialization are not in it.");

    private static string LoadRow(string label, LoadRuns runs, double single)
    {
        var run = runs.Median;
        return F($"| {label} | {run.UploadsPerSecond:0.0} | {runs.Slowest:0}–{runs.Fastest:0} | {run.UploadsPerSecond / single:0.0}× | {run.MeanLatencyMs:0.0} | {run.StorageRequestsPerUpload:0.##} | ") +
               F($"{run.ProcessCpuMsPerUpload:0.00} | {run.AzuriteCpuMsPerUpload:0.00} | {run.AzuriteCpuPercent:0}% | {run.OtherCpuPercentOfMachine:0}% |");
    }

    private static string Contention(MachineLoad load)
    {
        var average = load.LoadAverageAtStart is { } value ? F($"load average {value:0.0} at the start; ") : "";
        var note = load.OtherCpuPercentOfMachine >= 10
            ? " — the machine was shared, so the rates and times are lower and noisier than on a quiet one (the counts and allocations are not affected)."
            : ".";
        return F($"Other processes: {average}{load.OtherCpuPercentOfMachine:0}% of the machine's CPU during the run{note}");
    }

    private static string Limits(ThroughputResult load)
    {
        var top = load.Core.Select(runs => runs.Median).MaxBy(run => run.UploadsPerSecond)!;
        var cores = Environment.ProcessorCount;
        var both = top.AzuriteCpuMsPerUpload + top.ProcessCpuMsPerUpload;
        return F($"What limits it here: at best {top.UploadsPerSecond:0} uploads/s (median run, {top.Concurrency} concurrent), with Azurite at {top.AzuriteCpuPercent:0}% of one core. ") +
               F($"Azurite spends {top.AzuriteCpuMsPerUpload:0.00} ms of CPU per upload ({top.AzuriteCpuMsPerUpload / top.StorageRequestsPerUpload:0.00} ms per request) and runs its JavaScript on one thread, which caps the rate near {1000 / top.AzuriteCpuMsPerUpload:0}/s; ") +
               F($"with this process's {top.ProcessCpuMsPerUpload:0.00} ms, an upload costs {both:0.00} ms of CPU, which {cores} cores cap near {1000.0 * cores / both:0}/s before other processes take their share ({top.OtherCpuPercentOfMachine:0}% of the machine during that run).");
    }

    private static string AtMost(double value, double target, string format) =>
        value <= target ? "pass" : $"**miss** by {(value - target).ToString(format, CultureInfo.InvariantCulture)}";

    private static string AtLeast(double value, double target) =>
        value >= target ? "pass" : F($"**miss** by {target - value:0.00}×");

    private static string Below(double value, double target) =>
        value < target ? "pass" : $"**miss** by {Bytes(value - target)}";

    private static string Bytes(double bytes) => Math.Abs(bytes) >= 1024 * 1024
        ? F($"{bytes / (1024 * 1024):N1} MiB")
        : F($"{bytes / 1024:N1} KiB");

    private static string SignedBytes(double bytes) => (bytes >= 0 ? "+" : "−") + Bytes(Math.Abs(bytes));

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
