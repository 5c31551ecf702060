using ModelStream.Simulator;
using StartFrame.IntegrationTests.Cli;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.IntegrationTests.Tracking;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary><c>startframe download -o</c> naming a folder writes into it; the user's own <c>&lt;file&gt;.part</c> is never touched.</summary>
[Collection(StorageCollection.Name)]
public sealed class DownloadTargetTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ScratchDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Download_to_a_folder_saves_taskId_mp4_in_it_and_leaves_the_users_part_file_alone()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var taskId = await harness.SubmitPairAsync("dl/cat");
        await harness.Tracking.RunUntilIdleAsync();
        var target = Path.Combine(_files.Path, taskId + ".mp4");
        File.WriteAllText(target + ".part", "my own notes");

        var run = await CliProcess.RunAsync(harness.Settings, "download", taskId, "-o", _files.Path);

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.EndsWith($"to {target}", run.StandardOutput.Trim(), StringComparison.Ordinal);
        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.ToArray(), File.ReadAllBytes(target));
        Assert.Equal("my own notes", File.ReadAllText(target + ".part"));
        Assert.Equal(2, Directory.GetFiles(_files.Path).Length);
    }

    [Fact]
    public async Task Download_into_a_folder_that_does_not_exist_is_refused_up_front_in_one_line()
    {
        var clock = TrackingHarness.Clock();
        await using var harness = await TrackingHarness.StartAsync(azurite.Server, clock);
        var missing = Path.Combine(_files.Path, "nope", "cat.mp4");

        var run = await CliProcess.RunAsync(harness.Settings, "download", "anytask", "-o", missing);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal($"download: the folder {Path.GetDirectoryName(missing)} does not exist; create it or name another with -o.", run.StandardError.Trim());
    }
}
