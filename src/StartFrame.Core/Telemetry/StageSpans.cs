using System.Diagnostics;
using StartFrame.Core.Redaction;

namespace StartFrame.Core.Telemetry;

/// <summary>
/// Starts the stage spans and tags them. Every string tag goes through the <see cref="Redactor"/>: a blob name, a model
/// or an error code comes from outside and may carry a key, a SAS query or a token, and a span leaves the process.
/// </summary>
public sealed class StageSpans(Redactor redactor)
{
    /// <summary>A stage span under the current one (null when nobody listens or it is not sampled).</summary>
    public static Activity? Start(string name, ActivityKind kind = ActivityKind.Internal) =>
        StartFrameTelemetry.Source.StartActivity(name, kind);

    /// <summary>
    /// A span whose parent is <paramref name="traceparent"/> (a stored or a caller's context) when it parses, else the
    /// current span: the way resumed work joins the trace its video started.
    /// </summary>
    public static Activity? StartWithParent(string name, string? traceparent, ActivityKind kind)
    {
        var parent = TraceParent.Parse(traceparent);
        return parent == default
            ? StartFrameTelemetry.Source.StartActivity(name, kind)
            : StartFrameTelemetry.Source.StartActivity(name, kind, parent);
    }

    /// <summary>
    /// Links <paramref name="span"/> to the span <paramref name="traceparent"/> names when that is in another trace: work
    /// on one upload that two runs started (each a root of its own) can then be followed from either. Nothing when it
    /// is absent, malformed or in the span's own trace (a later look that joined it).
    /// </summary>
    public static void LinkOtherTrace(Activity? span, string? traceparent)
    {
        var other = TraceParent.Parse(traceparent);
        if (span is not null && other != default && other.TraceId != span.TraceId)
        {
            span.AddLink(new ActivityLink(other));
        }
    }

    /// <summary>Sets a string tag, redacted; nothing when the span or the value is null.</summary>
    public void Tag(Activity? span, string name, string? value)
    {
        if (span is not null && value is not null)
        {
            span.SetTag(name, redactor.Text(value));
        }
    }

    /// <summary>Sets a URL tag: scheme, host and path only.</summary>
    public static void TagUrl(Activity? span, string name, Uri? url)
    {
        if (span is not null && url is not null)
        {
            span.SetTag(name, Redactor.Url(url));
        }
    }

    /// <summary>Sets a number tag.</summary>
    public static void Tag(Activity? span, string name, long value) => span?.SetTag(name, value);

    /// <summary>Marks a span failed with a redacted code, for a stage that ended in an error.</summary>
    public void Fail(Activity? span, string? code)
    {
        if (span is not null)
        {
            Tag(span, TagNames.ErrorCode, code);
            span.SetStatus(ActivityStatusCode.Error, code is null ? null : redactor.Text(code));
        }
    }
}
