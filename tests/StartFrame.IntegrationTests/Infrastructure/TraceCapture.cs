using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using StartFrame.Core.Telemetry;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>
/// Every StartFrame span ended while it lives, through the OpenTelemetry SDK and its in-memory exporter, with the
/// parent-based sampler the app uses. The listener is process-wide, so a test picks its own trace out of
/// <see cref="Spans"/> (by a tag it chose), never assumes the list holds only its spans.
/// </summary>
public sealed class TraceCapture : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly TracerProvider _provider;

    public TraceCapture()
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(StartFrameTelemetry.Name)
            .SetSampler(new ParentBasedSampler(new AlwaysOnSampler()))
            .AddInMemoryExporter(_spans)
            .Build()!;
    }

    /// <summary>A copy of the spans exported so far (the simple processor exports each as it ends).</summary>
    public IReadOnlyList<Activity> Spans
    {
        get
        {
            lock (_spans)
            {
                return [.. _spans];
            }
        }
    }

    /// <summary>Every span of <paramref name="traceId"/>, in the order they started.</summary>
    public IReadOnlyList<Activity> Trace(ActivityTraceId traceId) =>
        [.. Spans.Where(s => s.TraceId == traceId).OrderBy(s => s.StartTimeUtc)];

    public void Dispose() => _provider.Dispose();
}
