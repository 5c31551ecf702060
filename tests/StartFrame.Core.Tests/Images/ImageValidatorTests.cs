using StartFrame.Core.Catalog;
using StartFrame.Core.Problems;
using StartFrame.Core.Validation;



namespace StartFrame.Core.Tests.Images;

/// <summary>The start frame against viduq2-pro-fast's requirement: formats, names, size, dimensions, aspect ratio.</summary>
public sealed class ImageValidatorTests
{
    private static readonly ImageRequirement Viduq2 = ModelCatalog.LoadDefault().Find("viduq2-pro-fast")!.Image;

    [Theory]
    [InlineData("frame.png")]
    [InlineData("frame.jpg")]
    [InlineData("frame.jpeg")]
    [InlineData("FRAME.JPG")]
    [InlineData("frame.webp")]
    [InlineData("folder/sub/frame.WebP")]
    public void Each_supported_format_with_its_own_extension_is_accepted(string name)
    {
        var bytes = Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".png" => TestImages.Png(1280, 720),
            ".webp" => TestImages.WebPExtended(1280, 720),
            _ => TestImages.Jpeg(1280, 720),
        };
        var result = Check(bytes, name);
        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
        Assert.Equal((1280, 720), (result.Width, result.Height));
    }

    [Theory]
    [InlineData(100, 400)]
    [InlineData(400, 100)]
    [InlineData(1000, 4000)]
    [InlineData(4000, 1000)]
    [InlineData(1, 1)]
    public void Aspect_ratios_at_the_1_4_and_4_1_bounds_are_accepted(int width, int height)
        => Assert.True(Check(TestImages.Png(width, height), "frame.png").IsValid);

    [Theory]
    [InlineData(100, 401, "narrower")]
    [InlineData(401, 100, "wider")]
    [InlineData(1000, 4001, "narrower")]
    [InlineData(4001, 1000, "wider")]
    public void Aspect_ratios_just_beyond_the_bounds_are_rejected(int width, int height, string direction)
    {
        var error = Assert.Single(Check(TestImages.WebPLossless(width, height), "frame.webp").Errors);
        Assert.Equal((ValidationError.Image, ValidationCodes.AspectRatio), (error.Field, error.Code));
        Assert.Contains($"{width}x{height} pixels, {direction}", error.Message, StringComparison.Ordinal);
        Assert.Contains("from 1:4 to 4:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_of_exactly_50_MB_is_accepted()
        => Assert.True(Check(TestImages.Png(1280, 720), "frame.png", length: 50_000_000).IsValid);

    [Fact]
    public void An_image_over_50_MB_is_rejected_from_its_length_alone()
    {
        var error = Assert.Single(Check(TestImages.Png(1280, 720), "frame.png", length: 50_000_001).Errors);
        Assert.Equal(ValidationCodes.TooLarge, error.Code);
        Assert.Equal("the image is 50,000,001 bytes; the limit is 50 MB (50,000,000 bytes)", error.Message);
    }

    [Fact]
    public void A_png_named_jpg_is_a_format_mismatch()
    {
        var error = Assert.Single(Check(TestImages.Png(100, 100), "cat.jpg").Errors);
        Assert.Equal(ValidationCodes.FormatMismatch, error.Code);
        Assert.Equal("'cat.jpg' is named as a JPEG but its bytes are a PNG; rename it to .png", error.Message);
    }

    [Fact]
    public void A_jpeg_named_png_is_a_format_mismatch()
        => Assert.Equal(ValidationCodes.FormatMismatch, Assert.Single(Check(TestImages.Jpeg(100, 100), "cat.png").Errors).Code);

    [Theory]
    [InlineData("frame.gif")]
    [InlineData("frame")]
    [InlineData("frame.png.txt")]
    public void A_name_without_a_supported_extension_is_rejected(string name)
        => Assert.Equal(ValidationCodes.UnsupportedFormat, Assert.Single(Check(TestImages.Png(100, 100), name).Errors).Code);

    [Fact]
    public void A_gif_is_an_unsupported_format_whatever_its_name()
        => Assert.Contains(Check(TestImages.Gif(100, 100), "frame.png").Errors, e => e.Code == ValidationCodes.UnsupportedFormat && e.Message.Contains("GIF", StringComparison.Ordinal));

    [Fact]
    public void A_format_the_model_does_not_list_is_unsupported()
    {
        var pngOnly = new ImageRequirement { Formats = [ImageFormat.Png] };
        var error = Assert.Single(ImageValidator.Validate(new ImageToCheck(TestImages.WebPLossy(10, 10), 50, "x.webp"), pngOnly).Errors);
        Assert.Equal(ValidationCodes.UnsupportedFormat, error.Code);
        Assert.Contains("accepts PNG", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("application/octet-stream")]
    [InlineData("image/png")]
    [InlineData("IMAGE/PNG; charset=binary")]
    public void A_content_type_that_agrees_or_says_nothing_is_accepted(string? contentType)
        => Assert.True(Check(TestImages.Png(100, 100), "frame.png", contentType: contentType).IsValid);

    [Theory]
    [InlineData("image/jpeg")]
    [InlineData("text/plain")]
    public void A_content_type_that_contradicts_the_bytes_is_a_format_mismatch(string contentType)
        => Assert.Equal(ValidationCodes.FormatMismatch, Assert.Single(Check(TestImages.Png(100, 100), "frame.png", contentType: contentType).Errors).Code);

    [Fact]
    public void A_jpeg_whose_dimensions_lie_past_the_first_64_KiB_is_unreadable_and_the_message_says_why()
    {
        var jpeg = TestImages.Jpeg(1920, 1080, metadataBytes: 100_000);
        var error = Assert.Single(Check(jpeg.AsSpan(0, ImageValidator.HeaderBytes).ToArray(), "photo.jpg", length: jpeg.Length).Errors);
        Assert.Equal(ValidationCodes.UnreadableHeader, error.Code);
        Assert.Contains("first 65,536 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_truncated_png_is_unreadable()
        => Assert.Equal(ValidationCodes.UnreadableHeader, Assert.Single(Check(TestImages.Png(10, 10)[..20], "frame.png", length: 20).Errors).Code);

    [Fact]
    public void Every_image_problem_is_reported_together()
    {
        var result = Check(TestImages.Jpeg(100, 500), "cat.png", length: 60_000_000, contentType: "image/png");
        Assert.Equal(
            [ValidationCodes.FormatMismatch, ValidationCodes.FormatMismatch, ValidationCodes.TooLarge, ValidationCodes.AspectRatio],
            result.Errors.Select(e => e.Code));
    }

    [Fact]
    public void The_result_reports_format_dimensions_and_length()
    {
        var result = Check(TestImages.WebPLossy(640, 480), "frame.webp", length: 123_456);
        Assert.Equal((ImageFormat.WebP, 640, 480, 123_456L), (result.Format, result.Width, result.Height, result.Length));
    }

    [Fact]
    public void Sidecar_and_image_errors_are_collected_in_one_result()
    {
        var validator = new SidecarValidator(ModelCatalog.LoadDefault());
        var result = validator.Validate("""{"duration": 0}"""u8, new ImageToCheck(TestImages.Png(100, 500), 1_000, "frame.png"));

        Assert.Equal(
            [("duration", ValidationCodes.OutOfRange), (ValidationError.Image, ValidationCodes.AspectRatio)],
            result.Errors.Select(e => (e.Field, e.Code)));
        Assert.NotNull(result.Image);
    }

    [Fact]
    public void An_unknown_model_still_needs_a_recognisable_image()
    {
        var validator = new SidecarValidator(ModelCatalog.LoadDefault());
        var result = validator.Validate("""{"model": "veo-3.1"}"""u8, new ImageToCheck(TestImages.Gif(10, 10), 13, "frame.gif"));
        Assert.All(result.Errors, e => Assert.Equal(ValidationCodes.UnsupportedFormat, e.Code));
        Assert.Equal(2, result.Errors.Count);
    }

    [Fact]
    public void An_unknown_model_has_no_aspect_or_size_limit_of_its_own()
    {
        var validator = new SidecarValidator(ModelCatalog.LoadDefault());
        var result = validator.Validate("""{"model": "veo-3.1"}"""u8, new ImageToCheck(TestImages.Png(100, 1000), 80_000_000, "frame.png"));
        Assert.True(result.IsValid, string.Join(" | ", result.Errors));
    }

    private static ImageInspection Check(byte[] bytes, string name, long? length = null, string? contentType = null)
        => ImageValidator.Validate(new ImageToCheck(bytes, length ?? bytes.Length, name, contentType), Viduq2);
}
