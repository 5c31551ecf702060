using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using StartFrame.Core.Storage;
using StartFrame.LocalDev;

namespace StartFrame.Functions.Tests;

/// <summary>
/// The files the Functions host reads, as the Worker SDK generates them: <c>functions.metadata</c> (which functions,
/// which triggers, which settings), <c>extensions.json</c> (which host extensions to load), and the publish output that
/// <c>azd deploy</c> zips. A trigger attribute changed by mistake shows up here before it shows up in Azure.
/// </summary>
public sealed class BuildOutputIsTheHostContract
{
    private static readonly string Configuration =
        typeof(BuildOutputIsTheHostContract).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;

    private static string BuildOutput => Path.Combine(RepoLayout.Find().FunctionsProject, "bin", Configuration, "net10.0");

    [Fact]
    public void Metadata_lists_the_seven_functions_with_their_trigger_types()
    {
        var functions = Metadata();

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["GetVideo"] = "httpTrigger",
                ["OwedRecordsDue"] = "timerTrigger",
                ["StartFrameUploaded"] = "blobTrigger",
                ["SubmissionQueued"] = "queueTrigger",
                ["SubmitVideo"] = "httpTrigger",
                ["UploadRecheckDue"] = "queueTrigger",
                ["VideoTrackingDue"] = "queueTrigger",
            },
            functions.ToDictionary(f => f.Key, f => Text(Trigger(f.Value), "type")));
    }

    [Fact]
    public void The_local_in_process_host_runs_every_function_of_the_app()
    {
        // `startframe dev` without Core Tools runs each function's core call itself; a function added to the app and
        // not to the in-process host would silently never run locally.
        Assert.Equal(
            Metadata().Keys.Order(StringComparer.Ordinal),
            StartFrame.LocalDev.InProcess.InProcessFunctionHost.Functions.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Owed_records_are_swept_every_five_minutes_and_not_at_every_start()
    {
        var trigger = Trigger(Metadata()["OwedRecordsDue"]);

        Assert.Equal("0 */5 * * * *", Text(trigger, "schedule"));
        // runOnStartup would sweep on every scale-out instance start: left out (false), as the docs advise.
        Assert.False(trigger.TryGetProperty("runOnStartup", out var onStartup) && onStartup.ValueKind == System.Text.Json.JsonValueKind.True);
    }

    [Fact]
    public void Blob_trigger_is_Event_Grid_sourced_on_the_uploads_container_with_the_host_storage()
    {
        var trigger = Trigger(Metadata()["StartFrameUploaded"]);

        Assert.Equal("EventGrid", Text(trigger, "source"));
        Assert.Equal("start-frames/{name}", Text(trigger, "path"));
        Assert.Equal("AzureWebJobsStorage", Text(trigger, "connection"));
        Assert.Equal("In", Text(trigger, "direction"));
    }

    [Fact]
    public void Queue_trigger_reads_video_submissions_with_the_host_storage()
    {
        var trigger = Trigger(Metadata()["SubmissionQueued"]);

        Assert.Equal("video-submissions", Text(trigger, "queueName"));
        Assert.Equal("AzureWebJobsStorage", Text(trigger, "connection"));
    }

    [Fact]
    public void Recheck_trigger_reads_upload_rechecks_with_the_host_storage()
    {
        var trigger = Trigger(Metadata()["UploadRecheckDue"]);

        Assert.Equal("upload-rechecks", Text(trigger, "queueName"));
        Assert.Equal("AzureWebJobsStorage", Text(trigger, "connection"));
    }

    [Fact]
    public void Tracking_trigger_reads_video_tracking_with_the_host_storage()
    {
        var trigger = Trigger(Metadata()["VideoTrackingDue"]);

        Assert.Equal("video-tracking", Text(trigger, "queueName"));
        Assert.Equal("AzureWebJobsStorage", Text(trigger, "connection"));
    }

    [Theory]
    [InlineData("SubmitVideo", "post", "videos")]
    [InlineData("GetVideo", "get", "videos/{taskId}")]
    public void Http_functions_have_their_route_method_and_function_auth_level(string function, string method, string route)
    {
        var trigger = Trigger(Metadata()[function]);

        Assert.Equal(route, Text(trigger, "route"));
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToLowerInvariant()));
        Assert.Equal("function", Text(trigger, "authLevel").ToLowerInvariant());
    }

    [Fact]
    public void Every_function_listens_where_the_cores_trigger_table_says()
    {
        // The attributes keep their constants; the table is what the in-process host, the poison redrive, the
        // provisioner and the infra tests read, so the two must say the same.
        var functions = Metadata();

        Assert.Equal(TriggerTable.All.Select(t => t.Function).Order(StringComparer.Ordinal), functions.Keys.Order(StringComparer.Ordinal));
        foreach (var entry in TriggerTable.All)
        {
            var trigger = Trigger(functions[entry.Function]);
            var (type, where) = entry.Kind switch
            {
                TriggerKind.Blob => ("blobTrigger", Text(trigger, "path").Split('/')[0]),
                TriggerKind.Queue => ("queueTrigger", Text(trigger, "queueName")),
                TriggerKind.Timer => ("timerTrigger", Text(trigger, "schedule")),
                _ => ("httpTrigger", $"{trigger.GetProperty("methods")[0].GetString()!.ToUpperInvariant()} {Text(trigger, "route")}"),
            };
            Assert.Equal((type, entry.Source), (Text(trigger, "type"), where));
            Assert.Equal(entry.Kind is TriggerKind.Queue ? entry.Source + TriggerTable.PoisonSuffix : entry.Kind is TriggerKind.Blob ? TriggerTable.BlobTriggerPoisonQueue : null, entry.PoisonQueue);
        }
    }

    [Fact]
    public void Extensions_json_loads_the_storage_blob_and_queue_extensions()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(BuildOutput, "extensions.json")));
        var extensions = document.RootElement.GetProperty("extensions").EnumerateArray()
            .Select(e => (Name: Text(e, "name"), Hint: Text(e, "hintPath")))
            .ToList();

        Assert.Contains(extensions, e => e.Name == "AzureStorageBlobs" && e.Hint.EndsWith("Microsoft.Azure.WebJobs.Extensions.Storage.Blobs.dll", StringComparison.Ordinal));
        Assert.Contains(extensions, e => e.Name == "AzureStorageQueues" && e.Hint.EndsWith("Microsoft.Azure.WebJobs.Extensions.Storage.Queues.dll", StringComparison.Ordinal));
        foreach (var (name, hint) in extensions)
        {
            Assert.True(File.Exists(Path.Combine(BuildOutput, hint)), $"extensions.json names {hint} for {name}, which the build did not produce.");
        }
    }

    [Fact]
    public async Task Publish_output_holds_everything_the_host_reads()
    {
        var output = Directory.CreateTempSubdirectory("startframe-publish-").FullName;
        try
        {
            // What `azd deploy` packages (it publishes the project, then zips the folder); --no-build publishes this build.
            var (exitCode, log) = await RunAsync(
                Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
                ["publish", Path.Combine(RepoLayout.Find().FunctionsProject, "StartFrame.Functions.csproj"), "-c", Configuration, "--no-build", "-o", output, "-nologo"]);
            Assert.True(exitCode == 0, $"dotnet publish failed ({exitCode}):{Environment.NewLine}{log}");

            foreach (var file in new[] { "host.json", "functions.metadata", "extensions.json", "worker.config.json", "StartFrame.Functions.dll" })
            {
                Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is not in the publish output.");
            }

            Assert.True(Directory.EnumerateFiles(Path.Combine(output, ".azurefunctions"), "*.dll").Any(), ".azurefunctions/ holds no extension assemblies.");
            Assert.False(File.Exists(Path.Combine(output, "local.settings.json")), "local.settings.json must never be published.");
            using var worker = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "worker.config.json")));
            Assert.Equal("StartFrame.Functions.dll", Text(worker.RootElement.GetProperty("description"), "defaultWorkerPath"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static Dictionary<string, JsonElement> Metadata()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(BuildOutput, "functions.metadata")));
        return document.RootElement.EnumerateArray().ToDictionary(f => Text(f, "name"), f => f.Clone(), StringComparer.Ordinal);
    }

    private static JsonElement Trigger(JsonElement function) =>
        Assert.Single(function.GetProperty("bindings").EnumerateArray(), b => Text(b, "type").EndsWith("Trigger", StringComparison.Ordinal));

    private static string Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.GetString() ?? "" : "";

    private static async Task<(int ExitCode, string Log)> RunAsync(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
