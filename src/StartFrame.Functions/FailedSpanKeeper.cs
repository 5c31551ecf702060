using System.Diagnostics;

namespace StartFrame.Functions;

/// <summary>
/// Marks a failed span that sampling did not keep as sampled when it ends, before the exporters' processors see it:
/// it is exported alone (its unsampled parents are not). Added before any exporter.
/// </summary>
public sealed class FailedSpanKeeper : OpenTelemetry.BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!data.Recorded && data.Status == ActivityStatusCode.Error)
        {
            data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        }
    }
}
