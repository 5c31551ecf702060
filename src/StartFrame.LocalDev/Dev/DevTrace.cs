namespace StartFrame.LocalDev.Dev;

/// <summary>
/// One video's trace as <c>startframe dev --trace</c> prints it once the trace ends (its video is stored, or its upload
/// ended without a task): the stages in the order they started.
/// </summary>
/// <param name="TraceId">The W3C trace id: the one on the task, completion and failure records.</param>
/// <param name="Subject">The blob the trace started from, when its root span says.</param>
/// <param name="TaskId">The ModelStream task id, when the trace got one.</param>
/// <param name="Outcome">How the trace ended: the completion's status, or the upload's outcome when no task followed.</param>
/// <param name="Duration">From the first span's start to the last span's end.</param>
/// <param name="Stages">The stages, repeated ones (polls) folded into one line each run.</param>
/// <param name="Dropped">Spans not kept because the trace had more than <see cref="TraceTimelines.MaxSpansPerTrace"/>.</param>
public sealed record DevTrace(string TraceId, string? Subject, string? TaskId, string? Outcome, TimeSpan Duration, IReadOnlyList<DevTraceStage> Stages, int Dropped);

/// <summary>A stage of a <see cref="DevTrace"/>.</summary>
/// <param name="Name">The span name without its <c>startframe.</c> prefix (<c>upload</c>, <c>claim</c>, <c>poll</c>...).</param>
/// <param name="Depth">How many of the trace's spans it is nested under (0 for the root).</param>
/// <param name="Offset">When it started, after the trace's first span started.</param>
/// <param name="Duration">How long it took; for a folded run of the same stage, all of them together.</param>
/// <param name="Count">How many spans the line stands for (polls: one per delivery).</param>
/// <param name="Failed">Whether any of them ended in an error (its error code is in <paramref name="ErrorCode"/>).</param>
/// <param name="ErrorCode">The error code of the last failed one.</param>
public sealed record DevTraceStage(string Name, int Depth, TimeSpan Offset, TimeSpan Duration, int Count, bool Failed, string? ErrorCode);
