using System.Buffers.Binary;
using System.Net.Http.Headers;
using System.Text;
using StartFrame.Core.Tracking;

namespace StartFrame.Core.Tests.Tracking;

/// <summary>What counts as the video a task paid for: an MP4's ftyp box and more, never a page or an error.</summary>
public sealed class VideoSignatureTests
{
    private static byte[] Ftyp(uint size, string brand = "isom", int extra = 64)
    {
        var bytes = new byte[size + extra];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, size);
        Encoding.ASCII.GetBytes("ftyp").CopyTo(bytes, 4);
        Encoding.ASCII.GetBytes(brand).CopyTo(bytes, 8);
        return bytes;
    }

    [Fact]
    public void An_mp4_head_is_a_video() => Assert.Null(VideoSignature.Problem(Ftyp(24), whole: false));

    [Theory]
    [InlineData("")]
    [InlineData("<!doctype html><html><body>Not found</body></html>")]
    [InlineData("{\"error\":{\"code\":\"expired\",\"message\":\"gone\"}}")]
    [InlineData("short")]
    public void A_page_an_error_or_nothing_is_no_video(string body) =>
        Assert.NotNull(VideoSignature.Problem(Encoding.UTF8.GetBytes(body), whole: true));

    [Theory]
    [InlineData(8u)]      // smaller than any box with a brand
    [InlineData(26u)]     // not a multiple of 4
    [InlineData(8192u)]   // larger than any real ftyp
    public void A_box_of_impossible_size_is_no_video(uint size)
    {
        var bytes = Ftyp(24);
        BinaryPrimitives.WriteUInt32BigEndian(bytes, size);

        Assert.Contains("claims", VideoSignature.Problem(bytes, whole: false), StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_but_the_ftyp_box_is_no_video() =>
        Assert.Contains("nothing but", VideoSignature.Problem(Ftyp(24, extra: 0), whole: true), StringComparison.Ordinal);

    [Fact]
    public void An_unreadable_brand_is_no_video() =>
        Assert.Contains("brand", VideoSignature.Problem(Ftyp(24, brand: "\u0001\u0002\u0003\u0004"), whole: false), StringComparison.Ordinal);

    [Theory]
    [InlineData("text/html", true)]
    [InlineData("application/json", true)]
    [InlineData("application/problem+json", true)]
    [InlineData("video/mp4", false)]
    [InlineData("application/octet-stream", false)]
    public void A_text_or_json_content_type_rules_a_video_out(string type, bool refused) =>
        Assert.Equal(refused, VideoSignature.ContentTypeProblem(new MediaTypeHeaderValue(type)) is not null);
}
