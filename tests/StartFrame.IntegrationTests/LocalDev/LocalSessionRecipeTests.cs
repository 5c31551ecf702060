using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using StartFrame.IntegrationTests.Cli;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev;
using static StartFrame.IntegrationTests.Operating.CliLines;

namespace StartFrame.IntegrationTests.LocalDev;

/// <summary>
/// The README's "Your own local session", step by step, as a new user runs it — `startframe dev` in one
/// process, and each command of the recipe as its own process with the environment dev printed: upload a folder, watch the
/// tasks finish, read failures and records, submit over HTTP and through the queue.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LocalSessionRecipeTests
{
    /// <summary>The commands of the README's recipe, as the test below runs them (in this order).</summary>
    private static readonly string[] Recipe =
    [
        "startframe upload src/StartFrame.LocalDev/samples --prefix mine",
        "startframe tasks --prefix mine/",
        "startframe status <taskId> --wait",
        "startframe download <taskId> -o planet.mp4",
        "curl -i -X POST \"$STARTFRAME_API/videos\" -H 'Content-Type: application/json' -H 'Idempotency-Key: mine-1' \\",
        "curl -s \"$STARTFRAME_API/videos/<taskId>\"",
        "startframe submit start-frames/mine/planet.png --set prompt=\"Seen from the moon.\" --set correlationId=mine-q-1 --queue",
        "startframe records --tasks",
        "startframe upload src/StartFrame.LocalDev/samples/planet.png --prefix broken --set duration=11 --no-validate",
        "startframe failures",
        "startframe upload src/StartFrame.LocalDev/samples/planet.png --prefix broken",
        "startframe failures",
        "startframe records",
    ];

    [Fact]
    public void The_readme_recipe_is_the_one_this_test_runs()
    {
        var readme = File.ReadAllText(Path.Combine(RepoLayout.Find().Root, "README.md"));
        var start = readme.IndexOf("## Your own local session", StringComparison.Ordinal);
        var section = readme[start..readme.IndexOf("\n## ", start, StringComparison.Ordinal)];
        var commands = section.Split('\n')
            .Where(l => l.StartsWith("startframe ", StringComparison.Ordinal) || l.StartsWith("curl ", StringComparison.Ordinal))
            .Select(l => l.Split(" # ", 2)[0].TrimEnd())
            .ToList();

        Assert.Equal(["startframe dev", .. Recipe], commands);
    }

    [Fact]
    public async Task The_readme_recipe_works_step_by_step_against_startframe_dev()
    {
        using var dev = DevProcess.Start(null, "--ports", "free", "--mode", "in-process");
        var ready = await dev.NextAsync("ready");
        var environment = ready["environment"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value!.GetValue<string>());
        var api = ready["api"]!.GetValue<string>();
        var samples = RepoLayout.Find().SamplesFolder;
        Task<CliProcess.Result> Startframe(params string[] arguments) => CliProcess.RunAsync(environment, arguments);
        Task<JsonObject> Activity(string kind, string subject, string status) => dev.NextAsync(
            "activity", a => Text(a, "kind") == kind && Text(a, "subject") == subject && Text(a, "status") == status);

        // 1. Upload a folder: dev processes each blob as it lands.
        var upload = await Startframe("upload", samples, "--prefix", "mine");
        Assert.True(upload.ExitCode == 0, upload.StandardOutput + upload.StandardError);
        var submitted = await Activity("blob", "start-frames/mine/planet.png", "submitted");
        var taskId = Text(submitted, "taskId")!;

        // 2. Watch it: the ledger by image, then the task followed to its video, and the video saved.
        var tasks = await Startframe("tasks", "--prefix", "mine/", "--json");
        var entry = Assert.Single(Json(tasks));
        Assert.Equal(("recorded", taskId), (Text(entry, "state"), Text(entry, "taskId")));
        var wait = await CliProcess.RunAsync(environment, TimeSpan.FromMinutes(3), "status", taskId, "--wait", "--json");
        Assert.True(wait.ExitCode == 0, wait.StandardOutput + wait.StandardError);
        Assert.Equal($"videos/mine/planet/{taskId}.mp4", $"{Text(Json(wait)[^1]["video"], "container")}/{Text(Json(wait)[^1]["video"], "blob")}");
        var stored = await Activity("track", $"task {taskId}", "stored"); // dev says the video is ready, and where
        Assert.Equal($"videos/mine/planet/{taskId}.mp4", Text(stored, "video"));
        using var files = new ScratchDirectory();
        var download = await Startframe("download", taskId, "-o", Path.Combine(files.Path, "planet.mp4"));
        Assert.True(download.ExitCode == 0, download.StandardError);
        // dev's simulator renders the frame where ffmpeg is installed (--render auto), else serves the sample: either
        // way the MP4 the status said was stored.
        var video = await File.ReadAllBytesAsync(Path.Combine(files.Path, "planet.mp4"));
        Assert.Equal("ftyp", Encoding.ASCII.GetString(video, 4, 4));
        Assert.Equal(video.Length, Json(wait)[^1]["video"]!["length"]!.GetValue<long>());

        // 3. Submit over HTTP, as an operator would.
        using var http = new HttpClient();
        using var post = new HttpRequestMessage(HttpMethod.Post, api + "/videos")
        {
            Content = new StringContent("""{"blob": "start-frames/mine/planet.png", "prompt": "The planet turns slowly."}""", Encoding.UTF8, "application/json"),
        };
        post.Headers.Add("Idempotency-Key", "mine-1");
        using var accepted = await http.SendAsync(post);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal($"videos/{Text(JsonNode.Parse(await accepted.Content.ReadAsStringAsync()), "taskId")}", accepted.Headers.Location!.OriginalString);
        using var status = await http.GetAsync($"{api}/{accepted.Headers.Location}"); // curl "$STARTFRAME_API/<Location>", as the README says
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);

        // 4. Submit through the queue, as a pipeline would: dev's queue trigger turns it into a task record.
        var queued = await Startframe("submit", "start-frames/mine/planet.png", "--set", "prompt=Seen from the moon.", "--set", "correlationId=mine-q-1", "--queue", "--json");
        Assert.True(queued.ExitCode == 0, queued.StandardOutput + queued.StandardError);
        await Activity("queue", $"video-submissions/{Text(Json(queued)[0], "messageId")}", "done");
        var records = await Startframe("records", "--tasks", "--json");
        var fromQueue = Assert.Single(Json(records), r => Text(r["record"], "origin") == "queue");
        Assert.Equal("mine-q-1", Text(fromQueue["record"], "correlationId"));

        // 5. A refused upload, read with failures, then fixed by uploading its sidecar again: resolved.
        var broken = await Startframe("upload", Path.Combine(samples, "planet.png"), "--prefix", "broken", "--set", "duration=11", "--no-validate");
        Assert.True(broken.ExitCode == 0, broken.StandardOutput + broken.StandardError);
        await Activity("blob", "start-frames/broken/planet.png", "rejected");
        var failure = Assert.Single(Json(await Startframe("failures", "--json")));
        Assert.Equal(("unresolved", "out_of_range"), (Text(failure["resolution"], "status"), Text(failure["record"]!["errors"]![0], "code")));
        var fixedUpload = await Startframe("upload", Path.Combine(samples, "planet.png"), "--prefix", "broken");
        Assert.True(fixedUpload.ExitCode == 0, fixedUpload.StandardOutput + fixedUpload.StandardError);
        var fixedTask = Text(await Activity("blob", "start-frames/broken/planet.png", "submitted"), "taskId");
        var resolved = Assert.Single(Json(await Startframe("failures", "--json")));
        Assert.Equal(("resolved", fixedTask), (Text(resolved["resolution"], "status"), Text(resolved["resolution"], "taskId")));

        // Every record so far, as a table for people; and dev's console said what happened once: no log lines.
        var all = await Startframe("records");
        Assert.Contains("video-completions", all.StandardOutput, StringComparison.Ordinal);
        dev.Signal("INT");
        var stopped = await dev.NextAsync("stopped");
        await dev.WaitForExitAsync();
        Assert.Equal(0, stopped["exitCode"]!.GetValue<int>());
        Assert.DoesNotContain(dev.StandardError.Split('\n'), l => l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal));
    }
}
