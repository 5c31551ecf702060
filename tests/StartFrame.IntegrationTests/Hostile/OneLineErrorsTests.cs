using System.Diagnostics;
using StartFrame.Core;
using StartFrame.IntegrationTests.Cli;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>Every command fails in one line (exit 1), and validate reads files bounded.</summary>
[Collection(StorageCollection.Name)]
public sealed class OneLineErrorsTests(AzuriteFixture azurite) : IDisposable
{
    private const string Unreachable =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
        + "BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    private readonly ScratchDirectory _files = new();

    public static TheoryData<string[]> StorageCommands => new()
    {
        new[] { "process", "start-frames/a.png" },
        new[] { "redrive", "start-frames/a.png" },
        new[] { "redrive", "--poison" },
        new[] { "status", "abc123" },
        new[] { "submit", "https://images.example.com/a.png" },
    };

    [Theory]
    [MemberData(nameof(StorageCommands))]
    public async Task A_missing_storage_setting_is_one_line_and_exit_1(string[] command)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var settings = new Dictionary<string, string?>(harness.Settings) { [StartFrameOptions.StorageConnectionName] = null };

        var run = await CliProcess.RunAsync(settings, command);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(HostileInputs.Lines(run.StandardError));
        Assert.Contains(StartFrameOptions.StorageConnectionName, line, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(StorageCommands))]
    public async Task Unreachable_storage_is_one_line_and_exit_1(string[] command)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var settings = new Dictionary<string, string?>(harness.Settings) { [StartFrameOptions.StorageConnectionName] = Unreachable };

        var run = await CliProcess.RunAsync(settings, command);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(HostileInputs.Lines(run.StandardError));
        Assert.Contains("storage", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_missing_api_key_is_one_line_that_names_the_setting_unmangled_by_redaction()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var settings = new Dictionary<string, string?>(harness.Settings) { ["ModelStream__ApiKey"] = null, ["ModelStream:ApiKey"] = null };

        var run = await CliProcess.RunAsync(settings, "process", "start-frames/a.png");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(HostileInputs.Lines(run.StandardError));
        Assert.Contains("ModelStream__ApiKey is not set: it must hold the ModelStream Bearer key (sk-", line, StringComparison.Ordinal);
        Assert.DoesNotContain("[redacted]", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_reads_an_endless_file_bounded_and_refuses_it_as_too_large()
    {
        var run = await RunBoundedAsync(TimeSpan.FromSeconds(60), "validate", "/dev/zero");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("too_large", run.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sidecar")]
    [InlineData("image")]
    public async Task Validate_refuses_a_pipe_in_one_line_instead_of_hanging(string which)
    {
        var fifo = Path.Combine(_files.Path, "pipe");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
        }

        var sidecar = _files.Write("ok.json", Sidecars.Valid);
        var run = which == "sidecar"
            ? await RunBoundedAsync(TimeSpan.FromSeconds(60), "validate", fifo)
            : await RunBoundedAsync(TimeSpan.FromSeconds(60), "validate", sidecar, "--image", fifo);

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(HostileInputs.Lines(run.StandardError));
        Assert.Contains("pipe", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_refuses_a_device_posing_as_an_image_instead_of_reading_it_forever()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var image = Path.Combine(_files.Path, "zero.png");
        File.CreateSymbolicLink(image, "/dev/zero");

        var run = await RunBoundedAsync(TimeSpan.FromSeconds(60), harness.Settings, "upload", image, "--no-validate");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not a regular file", Assert.Single(HostileInputs.Lines(run.StandardOutput)), StringComparison.Ordinal);
        await foreach (var _ in harness.Uploads.GetBlobsAsync())
        {
            Assert.Fail("nothing should have been uploaded");
        }
    }

    private static Task<CliProcess.Result> RunBoundedAsync(TimeSpan limit, params string[] arguments) =>
        RunBoundedAsync(limit, new Dictionary<string, string?>(), arguments);

    private static async Task<CliProcess.Result> RunBoundedAsync(TimeSpan limit, IReadOnlyDictionary<string, string?> settings, params string[] arguments)
    {
        using var process = CliProcess.Start(settings, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"startframe {string.Join(' ', arguments)} did not finish within {limit}");
        }

        return new CliProcess.Result(process.ExitCode, await stdout, await stderr);
    }

    public void Dispose() => _files.Dispose();
}
