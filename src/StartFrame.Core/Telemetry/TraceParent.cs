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
}
