using StartFrame.Cli.Commands.Output;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>The progress bars of upload and download: binary units are labelled as binary (1,048,576 bytes is 1 MiB, not "1 MB").</summary>
public sealed class ProgressBarTests
{
    [Theory]
    [InlineData(1_048_576, 4_194_304, "1.0/4.0 MiB")]
    [InlineData(0, 52_428_800, "0.0/50.0 MiB")]
    [InlineData(157_286_400, 209_715_200, "150.0/200.0 MiB")]
    public void Bytes_are_counted_and_labelled_in_MiB(long done, long total, string caption)
        => Assert.Equal(caption, ProgressBar.BytesCaption(done, total));

    [Fact]
    public void A_small_file_gets_no_bar()
        => Assert.Null(ProgressBar.ForBytes(Console.Error, "small.png", ProgressBar.LargeFile));
}
