using System.Diagnostics;
using StartFrame.Core.Telemetry;

namespace StartFrame.LocalDev.Dev;

/// <summary>
/// Listens to the core's spans in this process and, when a video's timeline ends, reports it as a <see cref="DevTrace"/>:
/// <c>startframe dev --trace</c> in-process. A timeline is one way-in root span (a blob event, an HTTP or queue
/// submission) and everything under it — its stages, and the polls that join it hours later through the
/// <c>traceparent</c> it stored — not a whole trace id, which a caller may share across a batch of submissions. It ends
/// with its completion (once the poll it ran in ends), or with its root when no POST was accepted under it (refused,
/// waiting for its sidecar or a provider slot, a replay of a submission already made). A later look at a waiting upload
/// (a re-check, joining through the <c>traceparent</c> its message kept) continues the same timeline and prints it
/// again when it ends, or goes on into tracking when its POST was accepted. What is held is bounded: at most
/// <see cref="MaxOpenTraces"/> open timelines (the one touched least recently is dropped first) of at most
/// <see cref="MaxSpansPerTrace"/> spans besides the root, the completion and its poll. Nothing here may disturb the
/// core: the listener's callbacks run on the core's threads, inside <c>Activity.Stop</c>, so they never throw.
/// </summary>
public sealed class TraceTimelines : IDisposable
{
    /// <summary>Open timelines held at once; past it the one touched least recently is dropped, unreported.</summary>
    public const int MaxOpenTraces = 256;

    /// <summary>Spans held per timeline besides its landmarks; past it a timeline counts what it dropped.</summary>
    public const int MaxSpansPerTrace = 256;

    private const string Prefix = "startframe.";
    private readonly Action<DevTrace> _report;
    private readonly ActivityListener _listener;
    private readonly Lock _gate = new();
    private readonly Dictionary<TimelineKey, OpenTimeline> _open = [];
    private readonly LinkedList<TimelineKey> _byUse = [];
    private long _failures;

    /// <summary>Starts listening; <paramref name="report"/> is called on the thread that ended the timeline (what it
    /// throws is counted in <see cref="Failures"/>, never passed on).</summary>
    public TraceTimelines(Action<DevTrace> report)
    {
        _report = report ?? throw new ArgumentNullException(nameof(report));
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == StartFrameTelemetry.Name,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Ended,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Open timelines now.</summary>
    public int OpenCount
    {
        get
        {
            lock (_gate)
            {
                return _open.Count;
            }
        }
    }

    /// <summary>Spans or reports that failed here (and were dropped rather than disturb the core).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    public void Dispose() => _listener.Dispose();

    private void Ended(Activity span)
    {
        try
        {
            if (Add(span) is { } finished)
            {
                _report(finished);
            }
        }
#pragma warning disable CA1031 // A console that fails must not fail an upload or a poll: counted, dropped.
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _failures);
        }
    }

    private DevTrace? Add(Activity span)
    {
        var key = new TimelineKey(span.TraceId, RootOf(span));
        var ended = new EndedSpan(
            span.SpanId,
            span.ParentSpanId,
            span.OperationName,
            span.StartTimeUtc,
            span.Duration,
            span.Status == ActivityStatusCode.Error,
            span.GetTagItem(TagNames.ErrorCode) as string,
            span.GetTagItem(TagNames.Blob) as string,
            span.GetTagItem(TagNames.TaskId) as string,
            span.GetTagItem(TagNames.Outcome) as string);
        lock (_gate)
        {
            if (_open.TryGetValue(key, out var timeline))
            {
                _byUse.Remove(timeline.Node);
                _byUse.AddLast(timeline.Node);
            }
            else
            {
                timeline = new OpenTimeline(_byUse.AddLast(key));
                _open[key] = timeline;
                if (_open.Count > MaxOpenTraces)
                {
                    var least = _byUse.First!;
                    _byUse.RemoveFirst();
                    _open.Remove(least.Value);
                }
            }

            var isRoot = span.SpanId == key.Root && span.OperationName is SpanNames.Upload or SpanNames.Submission;
            var isLook = span.OperationName == SpanNames.Recheck;
            var endsIt = timeline.EndsWith == span.SpanId;
            if (timeline.Spans.Count < MaxSpansPerTrace || isRoot || isLook || endsIt || span.OperationName == SpanNames.Complete)
            {
                timeline.Spans.Add(ended);
            }
            else
            {
                timeline.Dropped++;
            }

            if (span.OperationName == SpanNames.Submit && !ended.Failed)
            {
                timeline.HandedToTracking = true;
            }

            if (span.OperationName == SpanNames.Complete)
            {
                // The completion runs inside its poll's span: the timeline ends when that poll ends (or now, if it has none).
                timeline.Outcome = ended.Outcome;
                timeline.EndsWith = span.ParentSpanId == default ? null : span.ParentSpanId;
                endsIt = timeline.EndsWith is null;
            }

            // A root, or a later look (a re-check), ends its timeline unless a POST was accepted under it: then tracking
            // goes on with it.
            if (!(endsIt || ((isRoot || isLook) && !timeline.HandedToTracking)))
            {
                return null;
            }

            _open.Remove(key);
            _byUse.Remove(timeline.Node);
            return Timeline(span.TraceId, key.Root, timeline);
        }
    }

    /// <summary>
    /// The span id of the way-in root a span belongs to: itself for a root; else the nearest root above it in this
    /// process; else, for a span whose parent is remote (a poll joining through a stored <c>traceparent</c>, which names
    /// the root), that parent.
    /// </summary>
    private static ActivitySpanId RootOf(Activity span)
    {
        var current = span;
        for (var hops = 0; hops < 64; hops++)
        {
            // A later look's upload span is not a root: its re-check span above it joined the first look's.
            if (current.OperationName is SpanNames.Upload or SpanNames.Submission && current.Parent is not { OperationName: SpanNames.Recheck })
            {
                return current.SpanId;
            }

            if (current.Parent is not { } parent || parent.Source.Name != StartFrameTelemetry.Name)
            {
                break;
            }

            current = parent;
        }

        return current.ParentSpanId != default ? current.ParentSpanId : current.SpanId;
    }

    private static DevTrace Timeline(ActivityTraceId traceId, ActivitySpanId rootId, OpenTimeline timeline)
    {
        var spans = timeline.Spans.OrderBy(s => s.Start).ToList();
        var byId = new Dictionary<ActivitySpanId, EndedSpan>();
        foreach (var span in spans)
        {
            byId.TryAdd(span.Id, span);
        }

        var first = spans[0].Start;
        var stages = new List<DevTraceStage>();
        foreach (var span in spans)
        {
            var depth = Depth(span, byId);
            var name = span.Name.StartsWith(Prefix, StringComparison.Ordinal) ? span.Name[Prefix.Length..] : span.Name;
            if (stages.Count > 0 && stages[^1] is { } previous && previous.Name == name && previous.Depth == depth)
            {
                // A run of the same stage at the same depth (polls) is one line: its first start, their total time.
                stages[^1] = previous with
                {
                    Duration = previous.Duration + span.Duration,
                    Count = previous.Count + 1,
                    Failed = previous.Failed || span.Failed,
                    ErrorCode = span.Failed ? span.ErrorCode : previous.ErrorCode,
                };
                continue;
            }

            stages.Add(new DevTraceStage(name, depth, span.Start - first, span.Duration, 1, span.Failed, span.Failed ? span.ErrorCode : null));
        }

        var end = spans.Max(s => s.Start + s.Duration);
        // A later look's timeline holds no root of its own: its re-check span names the upload and how the look ended.
        var root = byId.GetValueOrDefault(rootId) ?? spans.FirstOrDefault(s => s.Name == SpanNames.Recheck);
        var taskId = spans.Select(s => s.TaskId).LastOrDefault(id => id is not null);
        var outcome = timeline.Outcome ?? root?.Outcome ?? (root is { Failed: true } ? "error" : null);
        return new DevTrace(traceId.ToHexString(), root?.Blob, taskId, outcome, end - first, stages, timeline.Dropped);
    }

    private static int Depth(EndedSpan span, Dictionary<ActivitySpanId, EndedSpan> byId)
    {
        var depth = 0;
        var parent = span.Parent;
        while (byId.TryGetValue(parent, out var up) && depth < MaxSpansPerTrace)
        {
            depth++;
            parent = up.Parent;
        }

        return depth;
    }

    private readonly record struct TimelineKey(ActivityTraceId Trace, ActivitySpanId Root);

    private sealed class OpenTimeline(LinkedListNode<TimelineKey> node)
    {
        public LinkedListNode<TimelineKey> Node { get; } = node;

        public List<EndedSpan> Spans { get; } = [];

        public int Dropped { get; set; }

        /// <summary>A POST was accepted under this root: its polls will continue the timeline.</summary>
        public bool HandedToTracking { get; set; }

        /// <summary>The completion's status, once it ended.</summary>
        public string? Outcome { get; set; }

        /// <summary>The span (the completion's poll) whose end ends the timeline.</summary>
        public ActivitySpanId? EndsWith { get; set; }
    }

    private sealed record EndedSpan(
        ActivitySpanId Id,
        ActivitySpanId Parent,
        string Name,
        DateTime Start,
        TimeSpan Duration,
        bool Failed,
        string? ErrorCode,
        string? Blob,
        string? TaskId,
        string? Outcome);
}
