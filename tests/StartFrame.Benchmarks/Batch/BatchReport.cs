using System.Globalization;
using System.Text;

namespace StartFrame.Benchmarks.Batch;

/// <summary>P4's section of the report: each figure beside its target, pass or miss. A miss is a finding, never a failed run.</summary>
internal static class BatchReport
{
    private const double MaxOverIdeal = 1.1;
    private const double Max429Share = 0.05;

    public static string Render(BatchResult p4)
    {
        ArgumentNullException.ThrowIfNull(p4);
        var s = p4.Scenario;
        var text = new StringBuilder();
        void Line(string line = "") => text.Append(line).Append('\n');

        Line(F($"### P4 — a batch at the provider's pace (N={s.Uploads}, C={s.Concurrency}, G={s.Generation.TotalSeconds:0} s, {p4.Instances} worker instances; {(s.Admission ? "admission control with the limit configured" : "no admission control")}; fake clock, real requests)"));
        Line();
        Line("| Figure | Measured | Target | Result |");
        Line("|---|--:|---|---|");
        Line(F($"| time to the last video, over ideal (ceil(N/C)×G = {s.Ideal.TotalSeconds:0} s) | {p4.TimeToLastVideo.TotalSeconds:0} s: **{p4.OverIdeal:0.00}×** | ≤ {MaxOverIdeal:0.0}× | {AtMost(p4.OverIdeal, MaxOverIdeal, "×")} |"));
        Line(F($"| 429s as a share of POSTs | {p4.Rate429s} of {p4.Posts}: **{p4.Share429:0%}** | ≤ {Max429Share:0%} | {AtMostShare(p4.Share429, Max429Share)} |"));
        Line(F($"| failure records | {p4.FailureRecords}{Codes(p4.FailureCodes)} | 0 | {Zero(p4.FailureRecords)} |"));
        Line(F($"| poison messages | {p4.PoisonCount}{Codes(p4.Poison)} | 0 | {Zero(p4.PoisonCount)} |"));
        Line(F($"| double charges | {p4.DoubleCharges} | 0 | {Zero(p4.DoubleCharges)} |"));
        Line(F($"| lost (neither a video nor a failure record) | {p4.Lost} | 0 | {Zero(p4.Lost)} |"));
        Line(F($"| storage calls per video | {p4.StorageCallsPerVideo:0.0} ({p4.StorageCalls} for {p4.Videos} videos) | — | |"));
        Line();
        Line(F($"{s.Uploads} image+sidecar pairs are uploaded at once (each sidecar first; its event finds no image yet) to an app of {p4.Instances} worker instances, each the real core in a DI container of its own, ") +
             F($"against one Azurite and one simulator that runs {s.Concurrency} tasks at a time (`MaxConcurrentTasks`, a submit beyond it answers 429 with the Retry-After of the first task to end) of {s.Generation.TotalSeconds:0} s each. ") +
             "The Functions host is played as host.json configures it: each blob event runs the blob function on one instance (8 at a time per instance), a run that throws runs again after the queues' visibility timeout, " +
             "5 runs at most, then `webjobs-blobtrigger-poison`; every queue trigger of the core's trigger table is pumped on both instances (batches of 8, visibility delay on failure, poison after 5 deliveries). " +
             "One fake clock serves both instances and the simulator; it moves only when nothing runs (no request in flight, nothing queued on the thread pool, no request or delivery starting or ending over three looks 1 ms apart), to the next thing due: a Retry-After wait, a poll, a message's visibility, a blob retry. " +
             F($"POSTs and 429s are the simulator's counts ({p4.Accepted} accepted). Double charges: task records beyond one per image, plus accepted POSTs without a task record. ") +
             F($"Storage calls are the core's and the host's receive, delete and give-back (counted per retry), not the host's polling of an empty queue. {p4.Deliveries} queue deliveries; the run took {p4.WallTime.TotalSeconds:0.0} s of wall time."));
        Line();
        return text.ToString();
    }

    private static string Codes(IReadOnlyDictionary<string, int> counts) =>
        counts.Count == 0 ? "" : " (" + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => F($"{c.Key}: {c.Value}"))) + ")";

    private static string AtMost(double value, double target, string unit) =>
        value <= target ? "pass" : F($"**miss** by {value - target:0.00}{unit}");

    private static string AtMostShare(double value, double target) =>
        value <= target ? "pass" : F($"**miss** by {(value - target) * 100:0} points");

    private static string Zero(int value) => value == 0 ? "pass" : F($"**miss** by {value}");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
