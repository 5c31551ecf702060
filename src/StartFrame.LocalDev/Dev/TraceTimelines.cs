using System.Diagnostics;
using StartFrame.Core.Telemetry;

namespace StartFrame.LocalDev.Dev;

/// <summary>
/// Listens to the core's spans in this process and, when a video's trace ends, reports it as a <see cref="DevTrace"/>:
/// <c>startframe dev --trace</c> in-process. A trace ends with its completion span (the video stored, or the task
/// finished without one), or with its root span when the way in ended without a task (refused, waiting for its
/// sidecar, a duplicate). A trace spans hours of polls, so what is held is bounded: at most
/// <see cref="MaxOpenTraces"/> open traces (the oldest is dropped first) of at most <see cref="MaxSpansPerTrace"/> spans
/// besides their root and completion.
/// </summary>
public sealed class TraceTimelines : IDisposable
{
    /// <summary>Open traces held at once; past it the one opened first is dropped, unreported.</summary>
    public const int MaxOpenTraces = 256;

    /// <summary>Spans held per trace; past it a trace counts what it dropped.</summary>
    public const int MaxSpansPerTrace = 256;

    private const string Prefix = "startframe.";
    private readonly Action<DevTrace> _report;
    private readonly ActivityListener _listener;
    private readonly Lock _gate = new();
    private readonly Dictionary<ActivityTraceId, OpenTrace> _open = [];
    private readonly LinkedList<ActivityTraceId> _opened = [];

    /// <summary>Starts listening; <paramref name="report"/> is called on the thread that ended the trace.</summary>
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

    /// <summary>Open traces now (for tests of the bound).</summary>
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

    public void Dispose() => _listener.Dispose();

    private void Ended(Activity span)
    {
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
        OpenTrace? finished;
        lock (_gate)
        {
            if (!_open.TryGetValue(span.TraceId, out var trace))
            {
                trace = new OpenTrace(_opened.AddLast(span.TraceId));
                _open[span.TraceId] = trace;
                if (_open.Count > MaxOpenTraces)
                {
                    var oldest = _opened.First!;
                    _opened.RemoveFirst();
                    _open.Remove(oldest.Value);
                }
            }

            // Past the bound a trace keeps only its landmarks: the root (its subject) and the completion (its outcome).
            if (trace.Spans.Count < MaxSpansPerTrace || span.OperationName is SpanNames.Upload or SpanNames.Submission or SpanNames.Complete)
            {
                trace.Spans.Add(ended);
            }
            else
            {
                trace.Dropped++;
            }

            if (span.OperationName == SpanNames.Complete)
            {
                // The completion runs inside its poll's span: the trace ends when that poll ends (or now, if it has none).
                trace.Outcome = ended.Outcome;
                trace.EndsWith = span.ParentSpanId;
            }

            finished = EndsTrace(span, trace) ? trace : null;
            if (finished is not null)
            {
                _open.Remove(span.TraceId);
                _opened.Remove(finished.Node);
            }
        }

        if (finished is not null)
        {
            _report(Timeline(span.TraceId, finished));
        }
    }

    // The completion (with the poll it ran in) ends a submitted video's trace; a way in's root span ends it unless it
    // handed a task on to tracking, which continues the trace however much later.
    private static bool EndsTrace(Activity span, OpenTrace trace) => span.OperationName switch
    {
        SpanNames.Complete => span.ParentSpanId == default,
        SpanNames.Upload or SpanNames.Submission => span.GetTagItem(TagNames.Outcome) is not string outcome
            || !(outcome.Equals("submitted", StringComparison.OrdinalIgnoreCase) || outcome.Equals("accepted", StringComparison.OrdinalIgnoreCase)),
        _ => trace.EndsWith is { } poll && poll == span.SpanId,
    };

    private static DevTrace Timeline(ActivityTraceId traceId, OpenTrace trace)
    {
        var spans = trace.Spans.OrderBy(s => s.Start).ToList();
        var byId = spans.ToDictionary(s => s.Id);
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
        var root = spans.FirstOrDefault(s => s.Name is SpanNames.Upload or SpanNames.Submission);
        var taskId = spans.Select(s => s.TaskId).LastOrDefault(id => id is not null);
        return new DevTrace(traceId.ToHexString(), root?.Blob, taskId, trace.Outcome ?? root?.Outcome, end - first, stages, trace.Dropped);
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

    private sealed class OpenTrace(LinkedListNode<ActivityTraceId> node)
    {
        public LinkedListNode<ActivityTraceId> Node { get; } = node;

        public List<EndedSpan> Spans { get; } = [];

        public int Dropped { get; set; }

        /// <summary>The completion's status, once it ended.</summary>
        public string? Outcome { get; set; }

        /// <summary>The span (the completion's poll) whose end ends the trace.</summary>
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
