using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StartFrame.Core.Telemetry;

/// <summary>
/// The core's one trace source and one meter, both named <see cref="Name"/>: a host that listens to that name (the
/// function app's OpenTelemetry setup, a test's in-memory exporter) sees every stage of every video, and one that does
/// not pays nothing (no listener, no span is made).
/// </summary>
public static class StartFrameTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "StartFrame";

    /// <summary>Where every stage span starts.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>Where every StartFrame metric is recorded (<see cref="StartFrameMetrics"/>).</summary>
    public static Meter Meter { get; } = new(Name);
}
