using StartFrame.Core.Catalog;
using StartFrame.Core.Validation;



namespace StartFrame.Core.Tests.Images;

/// <summary>Format and pixel dimensions from the first bytes of real (tiny) files of every supported layout.</summary>
public sealed class ImageHeaderReaderTests
{
    public static TheoryData<string, byte[], ImageFormat, int, int> Headers() => new()
    {
        { "PNG", TestImages.Png(640, 360), ImageFormat.Png, 640, 360 },
        { "JPEG baseline (SOF0)", TestImages.Jpeg(1920, 1080), ImageFormat.Jpeg, 1920, 1080 },
        { "JPEG progressive (SOF2)", TestImages.Jpeg(800, 600, sofMarker: 0xC2), ImageFormat.Jpeg, 800, 600 },
        { "JPEG with 40 KB EXIF before the SOF", TestImages.Jpeg(1024, 768, metadataBytes: 40_000), ImageFormat.Jpeg, 1024, 768 },
        { "WebP lossy (VP8)", TestImages.WebPLossy(1280, 720), ImageFormat.WebP, 1280, 720 },
        { "WebP lossless (VP8L)", TestImages.WebPLossless(16384, 1), ImageFormat.WebP, 16384, 1 },
        { "WebP extended (VP8X)", TestImages.WebPExtended(20000, 5000), ImageFormat.WebP, 20000, 5000 },
    };

    [Theory]
    [MemberData(nameof(Headers))]
    public void Reads_format_and_dimensions_of_every_supported_layout(string layout, byte[] bytes, ImageFormat format, int width, int height)
    {
        var header = ImageHeaderReader.Read(bytes);
        Assert.True(header.Problem is null, $"{layout}: {header.Problem}");
        Assert.Equal((format, width, height), (header.Format, header.Width, header.Height));
    }

    [Fact]
    public void A_jpeg_whose_frame_header_lies_beyond_the_bytes_read_says_so()
    {
        var jpeg = TestImages.Jpeg(1920, 1080, metadataBytes: 100_000);
        var header = ImageHeaderReader.Read(jpeg.AsSpan(0, 64 * 1024), jpeg.Length);

        Assert.Equal(ImageFormat.Jpeg, header.Format);
        Assert.False(header.HasDimensions);
        Assert.Contains("not within the first 65,536 bytes", header.Problem, StringComparison.Ordinal);
        Assert.Contains("EXIF/ICC", header.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_jpeg_read_in_full_yields_its_dimensions()
    {
        var header = ImageHeaderReader.Read(TestImages.Jpeg(1920, 1080, metadataBytes: 100_000));
        Assert.Equal((1920, 1080), (header.Width, header.Height));
    }

    [Fact]
    public void A_jpeg_file_that_ends_before_its_frame_header_is_called_truncated()
    {
        var jpeg = TestImages.Jpeg(10, 10, metadataBytes: 1_000)[..500];
        Assert.Contains("truncated", ImageHeaderReader.Read(jpeg, jpeg.Length).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jpeg_cut_inside_the_frame_header_after_the_dimensions_still_yields_them()
    {
        var jpeg = TestImages.Jpeg(10, 20);
        var sof = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        var header = ImageHeaderReader.Read(jpeg.AsSpan(0, sof + 9));
        Assert.Equal((10, 20), (header.Width, header.Height));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(23)]
    public void A_png_cut_before_the_end_of_ihdr_has_no_dimensions(int length)
    {
        var header = ImageHeaderReader.Read(TestImages.Png(10, 10).AsSpan(0, length));
        Assert.False(header.HasDimensions);
        Assert.NotNull(header.Problem);
    }

    [Theory]
    [InlineData("lossy", 29)]
    [InlineData("lossless", 24)]
    [InlineData("extended", 29)]
    [InlineData("lossy", 16)]
    public void A_webp_cut_inside_its_header_has_no_dimensions(string kind, int length)
    {
        var webp = kind switch
        {
            "lossy" => TestImages.WebPLossy(100, 100),
            "lossless" => TestImages.WebPLossless(100, 100),
            _ => TestImages.WebPExtended(100, 100),
        };
        var header = ImageHeaderReader.Read(webp.AsSpan(0, length));
        Assert.Equal(ImageFormat.WebP, header.Format);
        Assert.False(header.HasDimensions);
    }

    [Fact]
    public void A_lossy_webp_without_the_vp8_start_code_is_unreadable()
    {
        var webp = TestImages.WebPLossy(100, 100);
        webp[23] = 0;
        Assert.False(ImageHeaderReader.Read(webp).HasDimensions);
    }

    [Fact]
    public void A_png_declaring_zero_width_is_unreadable()
        => Assert.False(ImageHeaderReader.Read(TestImages.Png(0, 10)).HasDimensions);

    [Theory]
    [InlineData("GIF", "GIF")]
    [InlineData("RIFF-WAVE", "not WebP")]
    [InlineData("text", "text")]
    [InlineData("empty", "empty")]
    public void Other_formats_are_named_and_not_recognised(string kind, string named)
    {
        byte[] bytes = kind switch
        {
            "GIF" => TestImages.Gif(10, 10),
            "RIFF-WAVE" => [.. "RIFF"u8, 4, 0, 0, 0, .. "WAVEfmt "u8],
            "text" => [.. "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"u8],
            _ => [],
        };
        var header = ImageHeaderReader.Read(bytes);
        Assert.Null(header.Format);
        Assert.Contains(named, header.Problem, StringComparison.Ordinal);
    }
}
