using System.Diagnostics;
using StartFrame.Core.Telemetry;

namespace StartFrame.Core.Tests.Telemetry;

/// <summary>A stored or a caller's traceparent names the parent; one that does not parse starts a new trace, never fails.</summary>
public sealed class TraceParentTests
{
    [Fact]
    public void A_w3c_traceparent_names_its_trace_and_span_as_a_remote_parent()
    {
        var context = TraceParent.Parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        Assert.Equal("0af7651916cd43dd8448eb211c80319c", context.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", context.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, context.TraceFlags);
        Assert.True(context.IsRemote);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not a traceparent")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")] // an all-zero trace id is invalid
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331")]
    public void Anything_else_is_no_parent(string? traceparent) =>
        Assert.Equal(default, TraceParent.Parse(traceparent));

    [Fact]
    public void The_current_span_is_written_as_a_w3c_traceparent_and_none_is_null()
    {
        var previous = Activity.Current;
        try
        {
            Activity.Current = null;
            Assert.Null(TraceParent.Current());

            using var span = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
            Assert.Equal($"00-{span.TraceId}-{span.SpanId}-00", TraceParent.Current());
        }
        finally
        {
            Activity.Current = previous;
        }
    }
}
