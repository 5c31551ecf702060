using OpenTelemetry.Trace;

namespace StartFrame.Functions;

/// <summary>
/// How the app samples its traces: parent-based over a trace-id ratio, so a video's trace is kept or dropped whole
/// (its polls, hours later, follow the sampled flag its stored <c>traceparent</c> carries). A dropped span is still
/// recorded (not exported), so that <see cref="FailedSpanKeeper"/> can export it if it fails: failures are always kept.
/// </summary>
public static class TraceSampling
{
    /// <summary>The sampler for <paramref name="ratio"/> (0 to 1) of new traces.</summary>
    public static Sampler For(double ratio) =>
        new RecordDropped(new ParentBasedSampler(ratio >= 1 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(ratio)));

    /// <summary>The inner sampler's decision, except that a drop becomes record-only.</summary>
    private sealed class RecordDropped(Sampler inner) : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
        {
            var result = inner.ShouldSample(samplingParameters);
            return result.Decision == SamplingDecision.Drop ? new SamplingResult(SamplingDecision.RecordOnly) : result;
        }
    }
}
