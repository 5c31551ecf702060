using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>Legal blob names of any length Azure allows, long idempotency keys and image URLs never crash a claim.</summary>
[Collection(StorageCollection.Name)]
public sealed class LongNamesTests(AzuriteFixture azurite)
{
    public static TheoryData<string> LegalNames => new()
    {
        new string('猫', 60),
        string.Join('/', Enumerable.Range(0, 130).Select(i => "d" + i)) + "/x",
        new string('n', 600),
        new string('猫', 300) + "/" + new string('犬', 300),
        "odd name's (1) #2 %20 & +=;,~!@$.v1",
    };

    [Theory]
    [MemberData(nameof(LegalNames))]
    public async Task An_upload_with_a_long_legal_name_is_submitted_and_recorded(string stem)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync(stem + ".json", Sidecars.Valid);
        var image = await harness.UploadImageAsync(stem + ".png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Submitted, outcome.Status);
        var record = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Equal(stem + ".png", record["source"]!["blob"]!.GetValue<string>());
        Assert.Equal("recorded", Assert.Single(await HostileInputs.LedgerRowsOfAsync(harness, stem + ".png")).State);
        Assert.Equal(OutcomeStatus.AlreadySubmitted, (await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None)).Status);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task An_image_whose_sidecar_name_would_be_too_long_is_refused_once_with_a_failure_record()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var name = new string('n', 1020) + ".png"; // 1,024 characters: cat.json would be 1,025
        var image = await harness.UploadImageAsync(name, TestImages.Png(640, 360));

        var first = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        var again = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Rejected, first.Status);
        Assert.Equal(OutcomeStatus.AlreadyFailed, again.Status);
        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Equal("too_long", failure["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task An_image_waiting_for_its_sidecar_under_a_long_name_is_processed_when_the_sidecar_lands()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var stem = new string('猫', 60);
        var image = await harness.UploadImageAsync(stem + ".png", TestImages.Png(640, 360));
        Assert.Equal(OutcomeStatus.Waiting, (await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None)).Status);

        var sidecar = await harness.UploadSidecarAsync(stem + ".json", Sidecars.Valid);

        Assert.Equal(OutcomeStatus.Submitted, (await harness.Processor.ProcessBlobAsync(sidecar, null, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task A_long_non_ASCII_idempotency_key_works_over_HTTP_and_replays()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, PipelineHarness.HttpImageUrls);
        var api = harness.Services.GetRequiredService<IVideoApi>();
        var key = new string('鍵', 60);
        var body = new System.Text.Json.Nodes.JsonObject { ["imageUrl"] = (await harness.ImageUrlAsync("cat.png")).AbsoluteUri }.ToJsonString();

        var first = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(body, key), CancellationToken.None));
        var second = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(body, key), CancellationToken.None));

        Assert.Equal(202, first.Status);
        Assert.Equal(202, second.Status);
        Assert.Equal("true", second.Headers["Idempotent-Replayed"].ToString());
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task A_long_non_ASCII_idempotency_key_works_on_the_command_line()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, PipelineHarness.HttpImageUrls);
        string[] arguments = ["submit", (await harness.ImageUrlAsync("owl.png")).AbsoluteUri, "--idempotency-key", new string('鍵', 60)];

        var first = await CliProcess.RunAsync(harness.Settings, arguments);
        var second = await CliProcess.RunAsync(harness.Settings, arguments);

        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        Assert.True(second.ExitCode == 0, second.StandardOutput + second.StandardError);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task An_idempotency_key_over_the_limit_is_refused_before_any_claim()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var api = harness.Services.GetRequiredService<IVideoApi>();
        var key = new string('k', 201);

        var http = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post("""{"imageUrl": "https://images.example.com/cat.png"}""", key), CancellationToken.None));
        var cli = await CliProcess.RunAsync(harness.Settings, "submit", "https://images.example.com/cat.png", "--idempotency-key", key);

        Assert.Equal(400, http.Status);
        Assert.Contains("200", http.Json["errors"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("200", cli.StandardOutput + cli.StandardError, StringComparison.Ordinal);
        Assert.Empty(await HostileInputs.AllLedgerRowsAsync(harness));
        Assert.Equal(0, harness.Simulator.PostCount);
    }

    [Fact]
    public async Task Looking_up_a_task_id_of_any_length_answers_404_rather_than_failing()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var api = harness.Services.GetRequiredService<IVideoApi>();

        var huge = await HttpCall.RunAsync(api.GetAsync(new string('t', 100_000), CancellationToken.None));
        var odd = await HttpCall.RunAsync(api.GetAsync("x' or TaskId ne 'y", CancellationToken.None));

        Assert.Equal(404, huge.Status);
        Assert.Equal(404, odd.Status);
    }

    [Fact]
    public async Task An_image_url_over_the_limit_is_refused_with_exit_2_naming_the_limit()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var url = "https://images.example.com/" + new string('p', 40_000) + ".png";

        var run = await CliProcess.RunAsync(harness.Settings, "submit", url);
        var api = harness.Services.GetRequiredService<IVideoApi>();
        var http = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(new JsonObject { ["imageUrl"] = url }.ToJsonString()), CancellationToken.None));

        Assert.True(run.ExitCode == 2, run.StandardOutput + run.StandardError);
        Assert.Contains("2048", (run.StandardOutput + run.StandardError).Replace(",", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError, StringComparison.Ordinal);
        Assert.Equal(400, http.Status);
        Assert.Equal("imageUrl", http.Json["errors"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(0, harness.Simulator.PostCount);
    }
}
