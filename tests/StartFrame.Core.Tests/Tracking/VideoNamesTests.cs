using StartFrame.Core.Records;
using StartFrame.Core.Tracking;



namespace StartFrame.Core.Tests.Tracking;

/// <summary>Where a finished video goes and what its blob says about itself.</summary>
public sealed class VideoNamesTests
{
    private static RecordSource Frame(string blob) => new() { Container = "start-frames", Blob = blob };

    [Theory]
    [InlineData("a/b/cat.png", "a/b/cat/task1.mp4")]
    [InlineData("cat.PNG", "cat/task1.mp4")]
    [InlineData("a/b.c/cat.jpeg", "a/b.c/cat/task1.mp4")]
    [InlineData("fotos/çat ☃ 猫.webp", "fotos/çat ☃ 猫/task1.mp4")]
    public void Video_is_named_after_the_start_frame_path_and_the_task(string startFrame, string expected)
    {
        Assert.Equal(expected, VideoNames.For(Frame(startFrame), "task1"));
    }

    [Fact]
    public void Two_takes_of_the_same_frame_get_two_names()
    {
        Assert.NotEqual(VideoNames.For(Frame("a/cat.png"), "take1"), VideoNames.For(Frame("a/cat.png"), "take2"));
    }

    [Fact]
    public void A_task_submitted_by_image_url_goes_to_by_url()
    {
        Assert.Equal("by-url/task1.mp4", VideoNames.For(new RecordSource { Url = "https://example.com/cat.png" }, "task1"));
    }

    [Theory]
    [InlineData("a/../cat.png")]
    [InlineData("a/./cat.png")]
    [InlineData("a//cat.png")]
    [InlineData("a./cat.png")]
    [InlineData(".png")]
    public void A_start_frame_whose_segments_the_service_would_normalise_is_named_by_hash(string startFrame)
    {
        var name = VideoNames.For(Frame(startFrame), "task1");

        Assert.Matches("^by-hash/[0-9a-f]{32}/task1\\.mp4$", name);
    }

    [Fact]
    public void A_start_frame_too_long_for_the_video_name_is_named_by_hash_within_the_limit()
    {
        var startFrame = new string('x', 1020) + ".png";

        var name = VideoNames.For(Frame(startFrame), "task1");

        Assert.StartsWith("by-hash/", name, StringComparison.Ordinal);
        Assert.True(name.Length <= StartFrame.Core.Storage.BlobNames.MaxLength);
    }

    [Theory]
    [InlineData("../../start-frames/x")]
    [InlineData("a/b")]
    [InlineData("ünïcode")]
    public void A_task_id_that_could_steer_the_blob_elsewhere_is_hashed(string taskId)
    {
        var name = VideoNames.For(Frame("cat.png"), taskId);

        Assert.Matches("^cat/t-[0-9a-f]{32}\\.mp4$", name);
    }

    [Fact]
    public void Metadata_names_task_and_start_frame_in_ASCII_that_reads_back_to_the_unicode_name()
    {
        var metadata = VideoNames.Metadata("task1", Frame("fotos/çat ☃.png"), "corr 1");

        Assert.Equal("task1", metadata["taskid"]);
        Assert.Equal("start-frames/fotos/çat ☃.png", Uri.UnescapeDataString(metadata["startframe"]));
        Assert.Equal("corr 1", Uri.UnescapeDataString(metadata["correlationid"]));
        Assert.All(metadata.Values, value => Assert.True(value.All(char.IsAscii), value));
    }

    [Fact]
    public void Metadata_of_a_url_task_names_the_url_without_its_query()
    {
        var metadata = VideoNames.Metadata("task1", new RecordSource { Url = "https://example.com/cat.png" }, "c");

        Assert.Equal("https://example.com/cat.png", Uri.UnescapeDataString(metadata["startframe"]));
    }

    [Fact]
    public void Metadata_of_a_start_frame_too_long_to_escape_within_the_budget_holds_its_hash_instead()
    {
        var metadata = VideoNames.Metadata("task1", Frame(new string('猫', 1000) + ".png"), "c");

        Assert.False(metadata.ContainsKey("startframe"));
        Assert.Matches("^[0-9a-f]{32}$", metadata["startframesha256"]);
    }
}
