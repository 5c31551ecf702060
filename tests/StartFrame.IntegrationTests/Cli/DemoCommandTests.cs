using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Cli;

/// <summary><c>startframe demo</c>, run as a person runs it: its own Azurite and simulator process, and the video at the end.</summary>
public sealed class DemoCommandTests
{
    [Fact]
    public async Task Demo_ends_with_the_video_downloaded_to_a_local_file_and_says_where()
    {
        using var folder = new ScratchDirectory();

        // The demo starts its own Azurite (from the npm lock) and builds and runs the simulator: minutes on a busy machine.
        var run = await CliProcess.RunAsync(new Dictionary<string, string?>(), TimeSpan.FromMinutes(6), "demo", "--output", folder.Path);

        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        var done = run.StandardOutput.Split('\n').Last(l => l.StartsWith("==> Done.", StringComparison.Ordinal));
        var match = System.Text.RegularExpressions.Regex.Match(done, "The video is (?<file>/\\S+\\.mp4) ");
        Assert.True(match.Success, done);
        var file = match.Groups["file"].Value;
        Assert.Equal(folder.Path, Path.GetDirectoryName(file)); // where it was told, never into the clone's artifacts/

        // The demo's simulator renders the frame where ffmpeg is installed (--render auto), else serves the sample:
        // either way an MP4, as long as the completion record says.
        var video = File.ReadAllBytes(file);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(video, 4, 4));
        Assert.Contains($"\"length\": {video.Length}", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"status\": \"succeeded\"", run.StandardOutput, StringComparison.Ordinal); // the completion record it printed
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.StandardOutput, "\"origin\": ?\"blob\"")); // the task record, shown once
        Assert.DoesNotContain("\\u00", run.StandardOutput, StringComparison.Ordinal); // records print as they are: +00:00, not \u002B00:00
    }
}
