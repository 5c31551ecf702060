using System.Diagnostics;

namespace StartFrame.Core.Telemetry;

/// <summary>
/// W3C trace context as records and messages carry it (the <c>traceparent</c> string), so that work resumed later — a
/// poll hours after the POST, a queue delivery — joins the trace its video started.
/// </summary>
public static class TraceParent
{
    /// <summary>The traceparent of the current span, or null when there is none (nobody listens) or it is not W3C.</summary>
    public static string? Current() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>The parent context <paramref name="traceparent"/> names; default (no parent) when it is absent or malformed,
    /// so a bad value from a caller starts a new trace instead of failing the work.</summary>
    public static ActivityContext Parse(string? traceparent) =>
        !string.IsNullOrWhiteSpace(traceparent) && ActivityContext.TryParse(traceparent, null, isRemote: true, out var context)
            ? context
            : default;

    /// <summary>
    /// The traceparent later looks at this work should join: the way-in span the current span is under (the upload's or
    /// submission's root), so every look of a waiting upload is a child of its first one, not of the look before; for a
    /// look that is itself a re-check, the traceparent that re-check joined. The current span's when there is no way-in
    /// span above it; null when there is no span at all.
    /// </summary>
    public static string? OfWayIn()
    {
        for (var span = Activity.Current; span is not null && span.Source == StartFrameTelemetry.Source; span = span.Parent)
        {
            if (span.OperationName == SpanNames.Recheck)
            {
                return span.IdFormat == ActivityIdFormat.W3C ? (span.HasRemoteParent ? span.ParentId : span.Id) : null;
            }

            if (span.OperationName is SpanNames.Upload or SpanNames.Submission && span.Parent is not { OperationName: SpanNames.Recheck })
            {
                return span.IdFormat == ActivityIdFormat.W3C ? span.Id : null;
            }
        }

        return Current();
    }
}
