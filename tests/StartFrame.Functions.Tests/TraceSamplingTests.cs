using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using StartFrame.Core.Telemetry;

namespace StartFrame.Functions.Tests;

/// <summary>The app's sampling: a trace is kept or dropped whole at its root, and a failed span is exported whatever the decision.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class TraceSamplingTests
{
    [Fact]
    public void At_a_ratio_of_zero_a_failed_span_is_exported_and_a_good_one_is_not()
    {
        var exported = new List<Activity>();
        using (var provider = Provider(0, exported))
        {
            using (var good = StartFrameTelemetry.Source.StartActivity("good", ActivityKind.Internal, default(ActivityContext)))
            {
                Assert.NotNull(good); // recorded, so that it could be kept if it failed
                Assert.False(good.Recorded);
            }

            using (var failed = StartFrameTelemetry.Source.StartActivity("failed", ActivityKind.Internal, default(ActivityContext)))
            {
                failed!.SetStatus(ActivityStatusCode.Error, "unreachable");
            }

            provider.ForceFlush();
        }

        Assert.Equal(["failed"], exported.Select(s => s.OperationName));
    }

    [Fact]
    public void A_span_follows_its_parents_decision_whatever_the_ratio()
    {
        var exported = new List<Activity>();
        var sampledCaller = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        var droppedCaller = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        using (var provider = Provider(0, exported))
        {
            StartFrameTelemetry.Source.StartActivity("poll of a kept trace", ActivityKind.Consumer, sampledCaller)!.Dispose();
            provider.ForceFlush();
        }

        using (var provider = Provider(1, exported))
        {
            StartFrameTelemetry.Source.StartActivity("poll of a dropped trace", ActivityKind.Consumer, droppedCaller)!.Dispose();
            StartFrameTelemetry.Source.StartActivity("new trace", ActivityKind.Internal, default(ActivityContext))!.Dispose();
            provider.ForceFlush();
        }

        Assert.Equal(["poll of a kept trace", "new trace"], exported.Select(s => s.OperationName));
    }

    // As the app sets it up: the sampler, then the keeper, then an exporter.
    private static TracerProvider Provider(double ratio, List<Activity> exported) => Sdk.CreateTracerProviderBuilder()
        .AddSource(StartFrameTelemetry.Name)
        .SetSampler(TraceSampling.For(ratio))
        .AddProcessor(new FailedSpanKeeper())
        .AddInMemoryExporter(exported)
        .Build()!;
}
