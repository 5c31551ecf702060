using StartFrame.Core.Telemetry;

namespace StartFrame.Core.Tests.Telemetry;

/// <summary>A metric's error code tag is a code or <c>other</c>: never a provider's free text, which may quote a secret and
/// would make a new time series per answer.</summary>
public sealed class MetricCodeTests
{
    [Theory]
    [InlineData("image_too_large")]
    [InlineData("rate_limit_exceeded")]
    [InlineData("http_403")]
    [InlineData("content.policy")]
    public void A_code_is_kept(string code) => Assert.Equal(code, StartFrameMetrics.MetricCode(code));

    [Theory]
    [InlineData("key sk-live-0123456789abcdef is frozen")]
    [InlineData("[redacted]")]
    [InlineData("Invalid_Key")]
    [InlineData("")]
    [InlineData("a_code_that_is_much_longer_than_any_code_we_would_keep")]
    [InlineData("0123456789abcdef0123456789abcdef")]
    [InlineData("req_7f3a9c")]
    [InlineData("_leading")]
    public void Anything_else_is_other(string text) => Assert.Equal(StartFrameMetrics.OtherCode, StartFrameMetrics.MetricCode(text));

    [Fact]
    public void No_code_stays_no_code() => Assert.Null(StartFrameMetrics.MetricCode(null));
}
