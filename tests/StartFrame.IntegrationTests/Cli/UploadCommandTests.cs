using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using StartFrame.Core;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.Cli.Commands.Submitting;

namespace StartFrame.IntegrationTests.Cli;

/// <summary><c>startframe upload</c>, run as the real CLI process against Azurite: validate first, sidecar before image.</summary>
[Collection(StorageCollection.Name)]
public sealed class UploadCommandTests(AzuriteFixture azurite) : IDisposable
{
    private const string InvalidSidecar = """{"duration": 5.5, "durration": 5, "off_peak": true}""";

    private readonly ScratchDirectory _files = new();

    [Fact]
    public async Task A_valid_pair_lands_sidecar_first_then_image_with_content_types()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await using var requests = await StorageRequestLog.StartAsync(harness.Azurite);
        var image = _files.Write("cat.png", TestImages.Png(640, 360));
        _files.Write("cat.json", Sidecars.Valid);
        var settings = new Dictionary<string, string?>(harness.Settings) { [StartFrameOptions.StorageConnectionName] = requests.ConnectionString(harness.Azurite) };

        var run = await CliProcess.RunAsync(settings, "upload", image, "--prefix", "/cli/pets/");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal("uploaded  start-frames/cli/pets/cat.png (sidecar start-frames/cli/pets/cat.json first)", run.StandardOutput.Trim());
        var sidecarDone = requests.IndexOf("< 201 PUT /devstoreaccount1/start-frames/cli/pets/cat.json");
        var imageStarted = requests.IndexOf("> PUT /devstoreaccount1/start-frames/cli/pets/cat.png");
        Assert.True(sidecarDone >= 0 && imageStarted > sidecarDone, string.Join(Environment.NewLine, requests.Lines));
        Assert.Equal("image/png", await ContentTypeAsync(harness.Uploads, "cli/pets/cat.png"));
        Assert.Equal("application/json", await ContentTypeAsync(harness.Uploads, "cli/pets/cat.json"));
        Assert.Equal(Sidecars.Valid, await TextAsync(harness.Uploads, "cli/pets/cat.json"));
    }

    [Fact]
    public async Task An_invalid_pair_is_refused_with_exit_2_listing_every_error_and_nothing_is_uploaded()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var image = _files.Write("bad.png", TestImages.Png(640, 360));
        _files.Write("bad.json", InvalidSidecar);

        var run = await CliProcess.RunAsync(harness.Settings, "upload", image);

        Assert.Equal(2, run.ExitCode);
        var lines = Lines(run.StandardOutput);
        Assert.Equal("refused   start-frames/bad.png: 3 errors, nothing uploaded (fix them, or --no-validate)", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("duration:", StringComparison.Ordinal) && l.EndsWith("[not_a_step]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("durration:", StringComparison.Ordinal) && l.Contains("did you mean \"duration\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("[conflict]", StringComparison.Ordinal));
        Assert.Equal(4, lines.Length);
        Assert.Empty(await BlobNamesAsync(harness.Uploads));
    }

    [Fact]
    public async Task No_validate_uploads_an_invalid_pair_anyway()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var image = _files.Write("forced.png", TestImages.Png(640, 360));
        _files.Write("forced.json", InvalidSidecar);

        var run = await CliProcess.RunAsync(harness.Settings, "upload", image, "--no-validate");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(["forced.json", "forced.png"], await BlobNamesAsync(harness.Uploads));
        Assert.Equal(InvalidSidecar, await TextAsync(harness.Uploads, "forced.json"));
    }

    [Fact]
    public async Task Set_creates_a_sidecar_for_an_image_that_has_none()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var image = _files.Write("dog.png", TestImages.Png(640, 360));

        var run = await CliProcess.RunAsync(harness.Settings, "upload", image,
            "--set", "prompt=the dog sneezes", "--set", "duration=8", "--set", "bgm=true", "--set", "metadata.movement_amplitude=auto");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal("", run.StandardError);
        var sidecar = JsonNode.Parse(await TextAsync(harness.Uploads, "dog.json"));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"prompt": "the dog sneezes", "duration": 8, "bgm": true, "metadata": {"movement_amplitude": "auto"}}"""),
            sidecar), sidecar?.ToJsonString());
    }

    [Fact]
    public async Task Set_overrides_the_given_sidecar_which_is_stored_under_the_images_name()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var image = _files.Write("owl.png", TestImages.Png(640, 360));
        var parameters = _files.Write("params.json", Sidecars.Valid);

        var run = await CliProcess.RunAsync(harness.Settings, "upload", image, "--sidecar", parameters,
            "--set", "duration=8", "--set", "seed=null", "--set", "prompt=\"42\"", "--set", "metadata.movement_amplitude=auto");

        Assert.True(run.ExitCode == 0, run.StandardError);
        Assert.Equal(["owl.json", "owl.png"], await BlobNamesAsync(harness.Uploads));
        var sidecar = JsonNode.Parse(await TextAsync(harness.Uploads, "owl.json"))!.AsObject();
        Assert.Equal(8, sidecar["duration"]!.GetValue<int>());
        Assert.Equal("42", sidecar["prompt"]!.GetValue<string>());
        Assert.False(sidecar.ContainsKey("seed"));
        Assert.Equal("1080p", sidecar["resolution"]!.GetValue<string>());
        Assert.Equal("auto", sidecar["metadata"]!["movement_amplitude"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_folder_pairs_each_image_with_its_sidecar_uploads_the_valid_ones_and_summarises()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var folder = Directory.CreateDirectory(Path.Combine(_files.Path, "batch")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "a.png"), TestImages.Png(640, 360));
        File.WriteAllText(Path.Combine(folder, "a.json"), Sidecars.Valid);
        File.WriteAllBytes(Path.Combine(folder, "b.PNG"), TestImages.Png(360, 640));
        File.WriteAllBytes(Path.Combine(folder, "c.png"), TestImages.Png(640, 360));
        File.WriteAllText(Path.Combine(folder, "c.json"), InvalidSidecar);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not an image");

        var run = await CliProcess.RunAsync(harness.Settings, "upload", folder, "--prefix", "batch-7", "--json");

        Assert.Equal(2, run.ExitCode);
        var results = Lines(run.StandardOutput).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(["start-frames/batch-7/a.png", "start-frames/batch-7/b.PNG", "start-frames/batch-7/c.png"], results.Select(r => r["image"]!.GetValue<string>()));
        Assert.Equal(["uploaded", "uploaded", "refused"], results.Select(r => r["status"]!.GetValue<string>()));
        Assert.Equal("start-frames/batch-7/a.json", results[0]["sidecar"]!.GetValue<string>());
        Assert.Null(results[1]["sidecar"]);
        Assert.Equal(3, results[2]["errors"]!.AsArray().Count);
        Assert.Contains("3 images: 2 uploaded, 1 refused, 0 failed.", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("batch-7/b.PNG has no sidecar", run.StandardError, StringComparison.Ordinal);
        Assert.Equal(["batch-7/a.json", "batch-7/a.png", "batch-7/b.PNG"], await BlobNamesAsync(harness.Uploads));
        Assert.Equal("image/png", await ContentTypeAsync(harness.Uploads, "batch-7/b.PNG"));
    }

    [Fact]
    public void A_file_that_is_not_an_image_is_refused_with_exit_2_and_one_line()
    {
        var notes = _files.Write("notes.txt", "hello");

        var run = CliRunner.Run(UploadCommand.Create(), "upload", notes);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        Assert.Single(Lines(run.Error));
        Assert.Contains("'notes.txt' is not an image", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_set_is_refused_with_exit_2_naming_the_option()
    {
        var image = _files.Write("set.png", TestImages.Png(640, 360));

        var run = CliRunner.Run(UploadCommand.Create(), "upload", image, "--set", "duration");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("--set 'duration': expected key=value, e.g. --set duration=8 or --set metadata.movement_amplitude=auto.", run.Error.Trim());
    }

    public void Dispose() => _files.Dispose();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<List<string>> BlobNamesAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync())
        {
            names.Add(blob.Name);
        }

        return names;
    }

    private static async Task<string> ContentTypeAsync(BlobContainerClient container, string name)
        => (await container.GetBlobClient(name).GetPropertiesAsync()).Value.ContentType;

    private static async Task<string> TextAsync(BlobContainerClient container, string name)
        => (await container.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToString();
}
