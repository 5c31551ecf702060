using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using StartFrame.IntegrationTests.Cli;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.LocalDev;

/// <summary>`startframe dev` as a user runs it — a real process, its JSON lines, and Ctrl-C stopping everything it
/// started (Linux: signals by process id, the process tree from /proc).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DevCommandTests
{
    [Fact]
    public async Task Ctrl_C_stops_the_in_process_session_and_every_process_it_started()
    {
        using var dev = DevProcess.Start(null, "--ports", "free", "--mode", "in-process");

        var ready = await dev.NextAsync("ready");
        using var http = new HttpClient();
        using var probe = await http.GetAsync(ready["api"]!.GetValue<string>() + "/videos/no-such-task");
        var started = dev.Descendants();
        var blobPort = ready["ports"]!["blob"]!.GetValue<int>();
        dev.Signal("INT");
        var stopped = await dev.NextAsync("stopped");
        await dev.WaitForExitAsync();

        Assert.Equal("in-process", ready["mode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, probe.StatusCode); // the HTTP API answered while it ran
        Assert.True(started.Count >= 3, $"expected Azurite, dotnet run and the simulator under dev; found {started.Count}");
        Assert.Equal(0, stopped["exitCode"]!.GetValue<int>());
        Assert.Equal(0, dev.ExitCode);
        Assert.DoesNotContain(started, DevProcess.IsRunning);
        Assert.False(Listens(blobPort), $"Azurite's blob port {blobPort} still accepts connections");
    }

    [Fact]
    public async Task Func_mode_starts_func_with_the_settings_and_plays_Event_Grid_for_its_webhook_until_SIGTERM()
    {
        // func cannot be installed here: a stand-in (FakeFunc/func.js) answers what dev relies on, as the real host does.
        using var scratch = new ScratchDirectory();
        var log = Path.Combine(scratch.Path, "func.log");
        var func = scratch.Write("func", $"#!/bin/sh\nexec node '{Path.Combine(RepoLayout.Find().Root, "tests", "StartFrame.IntegrationTests", "LocalDev", "FakeFunc", "func.js")}' \"$@\"\n");
        File.SetUnixFileMode(func, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = scratch.Path + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["FAKE_FUNC_LOG"] = log,
        };
        using var dev = DevProcess.Start(environment, "--ports", "free");

        var ready = await dev.NextAsync("ready");
        var storage = ready["environment"]!["AzureWebJobsStorage"]!.GetValue<string>();
        var uploads = new BlobServiceClient(storage).GetBlobContainerClient("start-frames");
        await uploads.CreateIfNotExistsAsync();
        await uploads.GetBlobClient("dev/cat.png").UploadAsync(BinaryData.FromBytes(TestImages.Png(64, 64)));
        var delivered = await dev.NextAsync("activity", a => a["kind"]!.GetValue<string>() == "event");
        var started = dev.Descendants();
        dev.Signal("TERM");
        var stopped = await dev.NextAsync("stopped");
        await dev.WaitForExitAsync();

        Assert.Equal("func", ready["mode"]!.GetValue<string>());
        Assert.Equal(("dev/cat.png", "delivered"), (delivered["subject"]!.GetValue<string>(), delivered["status"]!.GetValue<string>()));
        var entries = File.ReadAllLines(log).Select(l => JsonNode.Parse(l)!).ToList();
        var start = entries[0];
        Assert.Equal(["start", "--port", ready["ports"]!["api"]!.GetValue<int>().ToString(System.Globalization.CultureInfo.InvariantCulture)], start["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(Path.Combine(RepoLayout.Find().Root, "src", "StartFrame.Functions"), start["cwd"]!.GetValue<string>());
        Assert.Equal(("dotnet-isolated", storage), (start["worker"]!.GetValue<string>(), start["storage"]!.GetValue<string>()));
        Assert.Equal(["started", "SubscriptionValidation", "Notification"], entries.Select(e => e["kind"]!.GetValue<string>()));
        Assert.Equal("/blobServices/default/containers/start-frames/blobs/dev/cat.png", entries[2]["events"]![0]!["subject"]!.GetValue<string>());
        Assert.Equal(0, stopped["exitCode"]!.GetValue<int>());
        Assert.DoesNotContain(started, DevProcess.IsRunning);
    }

    [Fact]
    public async Task Func_mode_without_func_on_PATH_is_refused_with_exit_code_2_before_anything_starts()
    {
        var run = await CliProcess.RunAsync(new Dictionary<string, string?> { ["PATH"] = "/nonexistent" }, "dev", "--mode", "func", "--json");

        Assert.Equal(2, run.ExitCode);
        var stopped = JsonNode.Parse(Assert.Single(run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)))!;
        Assert.Equal("stopped", stopped["event"]!.GetValue<string>());
        Assert.Contains("--mode in-process", stopped["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("Starting Azurite", run.StandardError, StringComparison.Ordinal);
    }

    private static bool Listens(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
