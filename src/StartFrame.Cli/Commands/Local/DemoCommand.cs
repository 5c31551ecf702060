using System.CommandLine;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using StartFrame.Cli.Commands.Videos;
using StartFrame.Core;
using StartFrame.LocalDev;
using StartFrame.Cli.Commands.Operating;
using StartFrame.Cli.Commands.Output;

namespace StartFrame.Cli.Commands.Local;

/// <summary>
/// <c>startframe demo</c>: the whole job on this machine with embedded defaults — Azurite from the repo's npm
/// lock, the ModelStream simulator, the sample start frame uploaded, processed, followed to its end, and its video
/// downloaded to a local file. No Azure account, no API key.
/// </summary>
internal static class DemoCommand
{
    private const string DemoApiKey = "sk-local-demo";

    /// <summary>Short, so the demo ends in seconds: the simulator's generation and the tracker's polls.</summary>
    private static readonly TimeSpan GenerationTime = TimeSpan.FromSeconds(3);

    public static Command Create()
    {
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object per line on stdout (task_record, completion_record, done with the file); the steps go to stderr.",
        };
        var folder = new Option<string?>("--output", "-o")
        {
            Description = "The folder the video is saved in (default: artifacts/demo/ in the clone).",
            HelpName = "folder",
        };
        var repo = LocalClone.CreateOption("demo");
        var command = new Command("demo", """
            Run the pipeline locally end to end: start Azurite (in memory) and the ModelStream simulator on free
            loopback ports, upload the sample start frame and its sidecar, process it, print the task record, follow
            the task until its video is in the videos container, print the completion record, and download the video
            to artifacts/demo/ (or --output; it says where). Everything started is stopped at the end. Run it inside
            your clone (or name it with --repo): the demo runs the clone's Azurite lock, sample and simulator.
            Example: startframe demo
            Example: startframe demo --json -o /tmp/demo
            """);
        command.Options.Add(json);
        command.Options.Add(folder);
        command.Options.Add(repo);
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(json), parse.GetValue(folder), parse.GetValue(repo), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(bool json, string? folder, string? repo, TextWriter results, TextWriter error, CancellationToken cancellationToken)
    {
        if (LocalClone.Resolve("demo", repo, out var notAClone) is not { } layout)
        {
            await error.WriteLineAsync(notAClone).ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        // For people everything goes to stdout; with --json stdout holds only the JSON lines, and the steps (and what the
        // commands the demo runs print) go to stderr.
        var output = json ? error : results;
        void Step(string text) => output.WriteLine($"==> {text}");
        void Emit(string kind, JsonObject facts)
        {
            facts.Insert(0, "event", kind);
            results.WriteLine(JsonText.Line(facts));
        }

        Step("Starting Azurite from the repo's npm lock (in memory, free ports)...");
        await using var azurite = await AzuriteServer.StartAsync(layout, line => output.WriteLine("    " + line), cancellationToken).ConfigureAwait(false);
        output.WriteLine($"    blob :{azurite.BlobPort}  queue :{azurite.QueuePort}  table :{azurite.TablePort}  (pid {azurite.ProcessId})");

        Step("Starting the ModelStream simulator (dotnet run --project src/ModelStream.Simulator)...");
        await using var simulator = await SimulatorProcess.StartAsync(layout, line => output.WriteLine("    " + line), GenerationTime, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"    {simulator.BaseAddress}");

        var settings = new Dictionary<string, string?>
        {
            [StartFrameOptions.StorageConnectionName] = azurite.ConnectionString,
            ["ModelStream:BaseUrl"] = simulator.BaseAddress.ToString(),
            ["ModelStream:ApiKey"] = DemoApiKey,
            ["StartFrame:PollFirstDelay"] = "00:00:01",
            ["StartFrame:PollMaxDelay"] = "00:00:02",
            ["StartFrame:AllowLoopbackResultUrls"] = "true", // the in-process simulator serves its videos from http://127.0.0.1
        };

        var blobs = new BlobServiceClient(azurite.ConnectionString);
        var container = blobs.GetBlobContainerClient(StartFrameOptions.UploadsContainer);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        const string imageName = "samples/planet.png";
        Step($"Uploading the sample: {StartFrameOptions.UploadsContainer}/samples/planet.json, then {StartFrameOptions.UploadsContainer}/{imageName}");
        await Upload(container.GetBlobClient("samples/planet.json"), Path.Combine(layout.SamplesFolder, "planet.json"), "application/json", cancellationToken).ConfigureAwait(false);
        await Upload(container.GetBlobClient(imageName), Path.Combine(layout.SamplesFolder, "planet.png"), "image/png", cancellationToken).ConfigureAwait(false);

        var viaFunctions = await FunctionHostRun.TryRunAsync(layout, azurite, simulator, settings, $"{StartFrameOptions.UploadsContainer}/{imageName}", Step, cancellationToken).ConfigureAwait(false);
        var ranFunctions = viaFunctions is not null;
        var code = viaFunctions ?? await RunThroughCoreAsync(settings, imageName, Step, output, error, cancellationToken).ConfigureAwait(false);
        if (code != ExitCodes.Ok)
        {
            return code;
        }

        // The newest record on a queue, shown as the demo's output (a JSON line with --json); null (and said) when none came.
        async Task<JsonObject?> ShowLastRecordAsync(string label, string queueName, string eventName)
        {
            Step($"{label} on the {queueName} queue:");
            var queue = new QueueClient(azurite.ConnectionString, queueName, StartFrame.Core.Storage.QueueMessages.ClientOptions());
            var messages = (await queue.PeekMessagesAsync(10, cancellationToken).ConfigureAwait(false)).Value;
            if (messages.Length == 0)
            {
                await error.WriteLineAsync($"No {label.ToLowerInvariant()} arrived on {queueName}.").ConfigureAwait(false);
                return null;
            }

            var record = JsonNode.Parse(messages[^1].Body.ToString())!.AsObject();
            if (json)
            {
                Emit(eventName, new JsonObject { ["queue"] = queueName, ["record"] = record });
            }
            else
            {
                output.WriteLine(JsonText.Indented(record));
            }

            return record;
        }

        var taskRecord = await ShowLastRecordAsync("Task record", StartFrameOptions.TasksQueue, "task_record").ConfigureAwait(false);
        if (taskRecord is null)
        {
            return ExitCodes.Failure;
        }

        var taskId = taskRecord["taskId"]!.GetValue<string>();
        if (!ranFunctions)
        {
            Step($"Following task {taskId} to its end with `startframe track --until-idle` (the simulator takes {GenerationTime.TotalSeconds:0} s):");
            var tracked = await TrackCommand.RunAsync(untilIdle: true, json: false, settings, output, error, cancellationToken).ConfigureAwait(false);
            if (tracked != ExitCodes.Ok)
            {
                return tracked;
            }
        }

        if (await ShowLastRecordAsync("Completion record", StartFrameOptions.CompletionsQueue, "completion_record").ConfigureAwait(false) is null)
        {
            return ExitCodes.Failure;
        }

        var file = Path.Combine(Path.GetFullPath(folder ?? Path.Combine(layout.Root, "artifacts", "demo")), $"planet-{taskId}.mp4");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        Step("Downloading the video with `startframe download`:");
        var downloaded = await DownloadCommand.RunAsync(taskId, file, force: false, asJson: false, settings, output, error, cancellationToken).ConfigureAwait(false);
        if (downloaded != ExitCodes.Ok)
        {
            return downloaded;
        }

        Step($"Done. The video is {file} — open it with any player. Azurite and the simulator are stopped now; nothing was left running.");
        if (json)
        {
            Emit("done", new JsonObject { ["taskId"] = taskId, ["file"] = file });
        }

        return ExitCodes.Ok;
    }

    private static async Task Upload(BlobClient blob, string path, string contentType, CancellationToken cancellationToken) =>
        await blob.UploadAsync(path, new Azure.Storage.Blobs.Models.BlobUploadOptions { HttpHeaders = new Azure.Storage.Blobs.Models.BlobHttpHeaders { ContentType = contentType } }, cancellationToken).ConfigureAwait(false);

    private static async Task<int> RunThroughCoreAsync(
        Dictionary<string, string?> settings, string imageName, Action<string> step, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        step("Azure Functions Core Tools (func) is not on PATH: processing through the same core with `startframe process`.");
        step("(Install it with `npm i -g azure-functions-core-tools@4` to run the real function app instead.)");

        // What process prints holds the task record, which the demo shows next from the queue: shown once, unless it failed.
        using var said = new StringWriter();
        var code = await ProcessCommand.RunAsync([$"{StartFrameOptions.UploadsContainer}/{imageName}"], settings, json: true, said, error, cancellationToken).ConfigureAwait(false);
        if (code != ExitCodes.Ok)
        {
            await output.WriteAsync(said.ToString()).ConfigureAwait(false);
        }

        return code;
    }
}
