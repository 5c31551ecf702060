using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using ModelStream.Simulator;
using StartFrame.Cli;
using StartFrame.Core;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>
/// Every command's <c>--json</c> form, run as the real CLI, prints exactly one JSON object per stdout line — never
/// pretty-printed, never prose — so a script reads any of them the same way. A new command fails the first test until it
/// is added to the second.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class JsonLinesTests(AzuriteFixture azurite)
{
    /// <summary>The commands the second test runs with --json (each at least once).</summary>
    private static readonly string[] Covered =
        ["upload", "validate", "models", "process", "submit", "status", "track", "download", "tasks", "records", "failures", "redrive", "demo", "dev"];

    [Fact]
    public void Every_command_of_the_cli_is_covered_by_the_json_lines_test()
        => Assert.Equal(CliApp.CreateRoot().Subcommands.Select(c => c.Name).Order(), Covered.Order());

    [Fact]
    public async Task Every_commands_json_form_prints_one_json_object_per_line()
    {
        await using var harness = await PipelineHarness.StartAsync(
            azurite.Server,
            new Dictionary<string, string?> { ["StartFrame:PollFirstDelay"] = "00:00:01", ["StartFrame:PollMaxDelay"] = "00:00:01" },
            new SimulatorOptions { GenerationTime = TimeSpan.FromSeconds(1) });
        using var files = new ScratchDirectory();
        var folder = Directory.CreateDirectory(Path.Combine(files.Path, "frames")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, "cat.png"), TestImages.Png(640, 360));
        await File.WriteAllTextAsync(Path.Combine(folder, "cat.json"), Sidecars.Valid);
        var seen = new HashSet<string>();

        async Task<IReadOnlyList<JsonObject>> Json(int minimumLines, params string[] arguments) => await JsonWith(harness.Settings, minimumLines, arguments);

        async Task<IReadOnlyList<JsonObject>> JsonWith(IReadOnlyDictionary<string, string?> settings, int minimumLines, params string[] arguments)
        {
            var run = await CliProcess.RunAsync(settings, TimeSpan.FromMinutes(5), [.. arguments, "--json"]);
            seen.Add(arguments[0]);
            var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var objects = lines.Select(line => Parse(line, arguments)).ToList();
            Assert.True(objects.Count >= minimumLines, $"startframe {string.Join(' ', arguments)} --json printed {objects.Count} lines (exit {run.ExitCode}): {run.StandardError}");
            return objects;
        }

        await Json(1, "upload", folder, "--prefix", "j"); // the image (the summary goes to stderr)
        await Json(1, "validate", Path.Combine(folder, "cat.json"));
        await Json(1, "models");
        var taskId = (await Json(1, "process", "start-frames/j/cat.png"))[0]["taskId"]!.GetValue<string>();
        await Json(2, "process", "start-frames/j/"); // already_submitted, and the sidecar skipped
        await Json(1, "submit", "https://images.example.com/j/owl.png");
        await Json(1, "submit", "start-frames/j/cat.png", "--set", "prompt=from the queue", "--queue");
        await Json(1, "status", taskId);
        await Json(1, "track", "--until-idle");
        await Json(1, "status", taskId, "--wait", "--timeout", "00:01:00");
        await Json(1, "download", taskId, "-o", Path.Combine(files.Path, "cat.mp4"));
        await Json(1, "tasks");
        await Json(1, "records");
        await harness.UploadSidecarAsync("j/bad.json", """{"duration": 11}""");
        await harness.Processor.ProcessBlobAsync(await harness.UploadImageAsync("j/bad.png", TestImages.Png(640, 360)), null, CancellationToken.None);
        await Json(1, "failures");
        await Json(1, "redrive", "start-frames/j/cat.png", "--dry-run"); // recorded: what it would not do, and why
        await Json(1, "redrive", "start-frames/j/bad.png", "--dry-run"); // failed: what it would do
        var poison = new QueueClient(harness.Azurite.ConnectionString, "video-submissions-poison", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync("""{"blob": "start-frames/j/cat.png"}""");
        await Json(1, "redrive", "--poison", "--dry-run");
        var deadLetters = await DeadLetterRedriveCommandTests.FreshDeadLetterContainerAsync(harness);
        await DeadLetterRedriveCommandTests.WriteDeadLettersAsync(deadLetters, "T/S/2026/11/30/0/x.json", await DeadLetterRedriveCommandTests.EventOfAsync(harness.Uploads.GetBlobClient("j/cat.png")));
        await Json(1, "redrive", "--dead-letter", "--dry-run");
        await Json(0, "redrive", "--owed"); // nothing owed: no line (the summary goes to stderr); OwedRedriveCommandTests has the lines
        // Refused before anything starts where func is not on PATH: its one "stopped" line (dev --json itself: LocalDev/DevCommandTests).
        await JsonWith(new Dictionary<string, string?> { ["PATH"] = "/nonexistent" }, 1, "dev", "--mode", "func");
        await Json(3, "demo", "--output", files.Path); // task_record, completion_record, done

        Assert.Equal(Covered.Order(), seen.Order());
    }

    private static JsonObject Parse(string line, string[] arguments)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            Assert.Fail($"startframe {string.Join(' ', arguments)} --json printed a line that is not one JSON object ({ex.Message}): {line}");
            throw;
        }
    }
}
