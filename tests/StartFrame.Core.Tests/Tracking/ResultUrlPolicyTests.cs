using System.Net;
using Microsoft.Extensions.Options;
using StartFrame.Core.Tracking;

namespace StartFrame.Core.Tests.Tracking;

/// <summary>Where a provider's result URL may lead: https to a public address, loopback http only when allowed.</summary>
public sealed class ResultUrlPolicyTests
{
    private static ResultUrlPolicy Policy(bool allowLoopback = false) =>
        new(Options.Create(new StartFrameOptions { AllowLoopbackResultUrls = allowLoopback }));

    [Theory]
    [InlineData("https://cdn.example.com/v/1.mp4?sig=x")]
    [InlineData("https://8.8.8.8/v.mp4")]
    [InlineData("https://[2001:4860:4860::8888]/v.mp4")]
    public void A_public_https_url_may_be_fetched(string url) => Assert.Null(Policy().Problem(new Uri(url)));

    [Theory]
    [InlineData("file:///etc/passwd", "scheme")]
    [InlineData("ftp://cdn.example.com/v.mp4", "scheme")]
    [InlineData("http://cdn.example.com/v.mp4", "http")]
    [InlineData("https://user:pw@cdn.example.com/v.mp4", "password")]
    [InlineData("https://localhost/v.mp4", "localhost")]
    [InlineData("https://video.localhost/v.mp4", "localhost")]
    [InlineData("https://127.0.0.1/v.mp4", "loopback")]
    [InlineData("https://[::1]/v.mp4", "loopback")]
    [InlineData("https://169.254.169.254/latest/meta-data", "link-local")]
    [InlineData("https://10.1.2.3/v.mp4", "private")]
    [InlineData("https://172.16.0.1/v.mp4", "private")]
    [InlineData("https://192.168.1.1/v.mp4", "private")]
    [InlineData("https://100.64.0.1/v.mp4", "private")]
    [InlineData("https://0.0.0.0/v.mp4", "private")]
    [InlineData("https://[fd00::1]/v.mp4", "private")]
    [InlineData("https://[fe80::1]/v.mp4", "private")]
    [InlineData("https://[::ffff:10.0.0.1]/v.mp4", "private")]
    public void Anything_else_is_refused_with_a_reason(string url, string reason) =>
        Assert.Contains(reason, Policy().Problem(new Uri(url)), StringComparison.Ordinal);

    [Fact]
    public void Allowing_loopback_lets_the_simulator_through_but_never_a_private_address()
    {
        var policy = Policy(allowLoopback: true);

        Assert.Null(policy.Problem(new Uri("http://127.0.0.1:7071/_simulator/videos/t.mp4")));
        Assert.Null(policy.Problem(new Uri("http://localhost:7071/_simulator/videos/t.mp4")));
        Assert.NotNull(policy.Problem(new Uri("http://10.0.0.5/v.mp4")));
        Assert.NotNull(policy.AddressProblem(IPAddress.Parse("169.254.169.254")));
        Assert.NotNull(policy.Problem(new Uri("file:///etc/passwd")));
    }
}
