using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelStream.Simulator;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Cli;

/// <summary><c>startframe submit</c>, run as the real CLI process: POST /api/videos without the HTTP host.</summary>
[Collection(StorageCollection.Name)]
public sealed class SubmitCommandTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Submit_with_an_image_url_records_one_task_and_prints_its_location()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, PipelineHarness.HttpImageUrls);
        var imageUrl = await harness.ImageUrlAsync("frames/cat.png");

        var run = await CliProcess.RunAsync(harness.Settings, "submit", imageUrl.AbsoluteUri, "--set", "prompt=the cat yawns", "--set", "duration=8");

        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        var record = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        var taskId = record["taskId"]!.GetValue<string>();
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal($"accepted      task {taskId} (model viduq2-pro-fast, queued)", lines[0]);
        Assert.StartsWith($"location      videos/{taskId}", lines[1], StringComparison.Ordinal);
        Assert.Equal("http", record["origin"]!.GetValue<string>());
        Assert.Equal(imageUrl.GetLeftPart(UriPartial.Path), record["source"]!["url"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Equal(8, harness.Simulator.Requests.Single().Body!["duration"]!.GetValue<int>());
    }

    [Fact]
    public async Task Submit_with_a_blob_records_one_task_and_prints_json_with_the_location()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadImageAsync("manual/cat.png", TestImages.Png(640, 360));

        var run = await CliProcess.RunAsync(harness.Settings, "submit", "start-frames/manual/cat.png", "--set", "resolution=1080p", "--json");

        Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        var answer = JsonNode.Parse(run.StandardOutput)!.AsObject();
        var record = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        var taskId = record["taskId"]!.GetValue<string>();
        Assert.Equal("accepted", answer["status"]!.GetValue<string>());
        Assert.Equal(taskId, answer["taskId"]!.GetValue<string>());
        Assert.Equal($"videos/{taskId}", answer["location"]!.GetValue<string>());
        Assert.False(answer["replayed"]!.GetValue<bool>());
        Assert.Equal("manual/cat.png", answer["record"]!["source"]!["blob"]!.GetValue<string>());
        Assert.Equal("start-frames", record["source"]!["container"]!.GetValue<string>());
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_posts_once_and_replays_the_first_answer()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, PipelineHarness.HttpImageUrls);
        string[] arguments = ["submit", (await harness.ImageUrlAsync("frames/owl.png")).AbsoluteUri, "--set", "prompt=the owl blinks", "--idempotency-key", "owl-001", "--json"];

        var first = await CliProcess.RunAsync(harness.Settings, arguments);
        var second = await CliProcess.RunAsync(harness.Settings, arguments);

        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        var (a, b) = (JsonNode.Parse(first.StandardOutput)!, JsonNode.Parse(second.StandardOutput)!);
        Assert.Equal(a["taskId"]!.GetValue<string>(), b["taskId"]!.GetValue<string>());
        Assert.False(a["replayed"]!.GetValue<bool>());
        Assert.True(b["replayed"]!.GetValue<bool>());
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }

    [Fact]
    public async Task The_same_idempotency_key_with_other_fields_is_refused_with_exit_2()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, PipelineHarness.HttpImageUrls);
        var fox = (await harness.ImageUrlAsync("frames/fox.png")).AbsoluteUri;
        var first = await CliProcess.RunAsync(harness.Settings, "submit", fox, "--idempotency-key", "fox-001");

        var reused = await CliProcess.RunAsync(harness.Settings, "submit", fox, "--set", "duration=9", "--idempotency-key", "fox-001");

        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.Equal(2, reused.ExitCode);
        Assert.Matches("^refused +the idempotency key was used before with other fields; nothing was sent", reused.StandardOutput);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task An_invalid_submission_exits_2_lists_every_error_and_sends_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);

        var run = await CliProcess.RunAsync(harness.Settings, "submit", "https://images.example.com/frames/bad.png", "--set", "duration=11", "--set", "stype=noir", "--json");

        Assert.Equal(2, run.ExitCode);
        var answer = JsonNode.Parse(run.StandardOutput)!;
        Assert.Equal("invalid", answer["status"]!.GetValue<string>());
        Assert.Equal(["duration", "stype"], answer["errors"]!.AsArray().Select(e => e!["field"]!.GetValue<string>()).Order());
        Assert.Equal(0, harness.Simulator.PostCount);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }

    [Fact]
    public async Task A_quota_refusal_says_its_reason_once_in_the_text_column()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        harness.Simulator.AddFaults(new SimulatedFault { Status = 402 });

        var run = await CliProcess.RunAsync(harness.Settings, "submit", "https://images.example.com/frames/quota.png");

        Assert.Equal(1, run.ExitCode);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^refused {2,}request: ModelStream refused the request \\(402 insufficient_user_quota\\); the account's quota is used up \\[insufficient_user_quota\\]$", lines[0]);
        Assert.Single(Regex.Matches(run.StandardOutput, "quota is used up", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("request: request:", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outage_says_unavailable_apart_from_its_reason_and_the_reason_once()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        harness.Simulator.AddFaults(new SimulatedFault { Status = 503, Times = 0 });

        var run = await CliProcess.RunAsync(harness.Settings, "submit", "https://images.example.com/frames/busy.png");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches("^unavailable {2,}nothing was charged: ", run.StandardOutput);
        Assert.Single(Regex.Matches(run.StandardOutput, "ModelStream is unavailable"));
    }

    [Fact]
    public async Task A_refusal_that_charged_nothing_does_not_burn_its_idempotency_key()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, PipelineHarness.HttpImageUrls);
        harness.Simulator.AddFaults(new SimulatedFault { Status = 402 });
        string[] arguments = ["submit", (await harness.ImageUrlAsync("frames/topped-up.png")).AbsoluteUri, "--idempotency-key", "quota-1", "--json"];

        var refused = await CliProcess.RunAsync(harness.Settings, arguments);
        var retried = await CliProcess.RunAsync(harness.Settings, arguments); // the quota was topped up: the fault was once

        Assert.Equal((1, "refused"), (refused.ExitCode, JsonNode.Parse(refused.StandardOutput)!["status"]!.GetValue<string>()));
        Assert.True(retried.ExitCode == 0, retried.StandardOutput + retried.StandardError);
        var answer = JsonNode.Parse(retried.StandardOutput)!;
        Assert.Equal("accepted", answer["status"]!.GetValue<string>());
        Assert.False(answer["replayed"]!.GetValue<bool>());
        Assert.Equal(2, harness.Simulator.PostCount);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal((true, false), (failure["retryable"]!.GetValue<bool>(), failure["ambiguous"]!.GetValue<bool>()));
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
    }

    [Fact]
    public async Task An_ambiguous_submission_never_lets_its_idempotency_key_be_claimed_again()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        harness.Simulator.AddFaults(new SimulatedFault { Status = 502 });
        string[] arguments = ["submit", "https://images.example.com/frames/maybe.png", "--idempotency-key", "maybe-1", "--json"];

        var first = await CliProcess.RunAsync(harness.Settings, arguments);
        var second = await CliProcess.RunAsync(harness.Settings, arguments);

        Assert.Equal((1, "ambiguous"), (first.ExitCode, JsonNode.Parse(first.StandardOutput)!["status"]!.GetValue<string>()));
        Assert.Equal((1, "ambiguous"), (second.ExitCode, JsonNode.Parse(second.StandardOutput)!["status"]!.GetValue<string>()));
        Assert.True(JsonNode.Parse(second.StandardOutput)!["replayed"]!.GetValue<bool>());
        Assert.Equal(1, harness.Simulator.PostCount);
        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal((false, true), (failure["retryable"]!.GetValue<bool>(), failure["ambiguous"]!.GetValue<bool>()));
    }
}
