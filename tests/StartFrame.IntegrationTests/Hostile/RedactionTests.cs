using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using ModelStream.Simulator;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>The API key, SAS signatures and URL passwords never leave the process, whatever echoes them.</summary>
[Collection(StorageCollection.Name)]
public sealed class RedactionTests(AzuriteFixture azurite)
{
    private static async Task<string> EverythingStoredAsync(PipelineHarness harness)
    {
        var text = new System.Text.StringBuilder();
        foreach (var queue in new[] { harness.Tasks, harness.Failures })
        {
            foreach (var message in (await queue.PeekMessagesAsync(32)).Value)
            {
                text.AppendLine(message.Body.ToString());
            }
        }

        await foreach (var row in harness.Ledger.QueryAsync<TableEntity>())
        {
            foreach (var (_, value) in row)
            {
                text.AppendLine(value?.ToString());
            }
        }

        return text.ToString();
    }

    [Fact]
    public async Task A_refused_image_url_is_quoted_without_its_signature()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var processor = harness.Services.GetRequiredService<ISubmissionQueueProcessor>();

        await processor.ProcessAsync("""{"imageUrl": "http://images.example.com/x.png?sv=2024-01-01&se=2030-01-01&sp=r&sig=QUEUESECRETSIG%3D"}""", "m-1", 1, CancellationToken.None);
        await processor.ProcessAsync("""{"imageUrl": "ftp://user:hunter2@images.example.com/x.png"}""", "m-2", 1, CancellationToken.None);

        var stored = await EverythingStoredAsync(harness);
        Assert.Equal(2, (await harness.Failures.PeekMessagesAsync(32)).Value.Length);
        Assert.DoesNotContain("QUEUESECRETSIG", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("QUEUESECRETSIG", string.Join('\n', harness.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ModelStream_refusal_that_echoes_the_SAS_url_or_the_key_is_recorded_printed_and_logged_without_them()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("echo.json", Sidecars.Valid);
        await harness.UploadImageAsync("echo.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new SimulatedFault
        {
            Status = 400,
            Message = "cannot fetch https://devstoreaccount1.blob.core.windows.net/start-frames/echo.png?sv=2024-05-04&se=2030-01-01T00%3A00%3A00Z&sr=b&sp=r&sig=ECHOEDSIGNATURE%3D",
            Code = "bad_key_" + PipelineHarness.ApiKey,
            Param = "images " + PipelineHarness.ApiKey,
        });

        var run = await CliProcess.RunAsync(harness.Settings, "process", "start-frames/echo.png");

        Assert.Equal(2, run.ExitCode);
        var stored = await EverythingStoredAsync(harness);
        var failure = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures));
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(failure.ToJsonString()));
        foreach (var secret in new[] { "ECHOEDSIGNATURE", PipelineHarness.ApiKey })
        {
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_ModelStream_code_or_param_holding_the_key_never_reaches_a_record_or_a_log_line()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("key.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("key.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new SimulatedFault { Status = 403, Code = PipelineHarness.ApiKey, Param = PipelineHarness.ApiKey, Message = "key " + PipelineHarness.ApiKey + " is frozen" });

        await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.DoesNotContain(PipelineHarness.ApiKey, await EverythingStoredAsync(harness), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains(PipelineHarness.ApiKey, StringComparison.Ordinal));
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(Assert.Single(await PipelineHarness.PeekAllAsync(harness.Failures)).ToJsonString()));
    }

    [Fact]
    public async Task A_password_in_an_image_url_is_not_kept_in_the_record_the_ledger_or_the_answer()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, PipelineHarness.HttpImageUrls);
        var api = harness.Services.GetRequiredService<IVideoApi>();
        var sas = await harness.ImageUrlAsync("cat.png");
        var withSecrets = new UriBuilder(sas) { UserName = "frames", Password = "s3cr3tpass", Query = sas.Query.TrimStart('?') + "&token=TOKENVALUE" }.Uri;

        var response = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post(new JsonObject { ["imageUrl"] = withSecrets.AbsoluteUri }.ToJsonString()), CancellationToken.None));

        Assert.True(response.Status == 202, response.Body);
        var record = Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
        Assert.Empty(await RecordSchemas.TaskRecordErrorsAsync(record.ToJsonString()));
        Assert.Equal(sas.GetLeftPart(UriPartial.Path), record["source"]!["url"]!.GetValue<string>());
        foreach (var secret in new[] { "s3cr3tpass", "TOKENVALUE" })
        {
            Assert.DoesNotContain(secret, await EverythingStoredAsync(harness), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, response.Body, StringComparison.Ordinal);
        }

        var status = await HttpCall.RunAsync(api.GetAsync(record["taskId"]!.GetValue<string>(), CancellationToken.None));
        Assert.DoesNotContain("s3cr3tpass", status.Body, StringComparison.Ordinal);
    }
    [Fact]
    public async Task A_failed_tasks_reason_and_an_error_code_holding_every_kind_of_secret_reach_no_log_record_or_ledger()
    {
        var clock = Tracking.TrackingHarness.Clock();
        await using var harness = await Tracking.TrackingHarness.StartAsync(azurite.Server, clock);
        const string Sas = "https://acct.blob.core.windows.net/start-frames/a.png?sv=2024-05-04&sr=b&sp=r&sig=REASONSASSIG%3D";
        const string Bearer = "Bearer eyJREASONBEARER.e30.abc123";
        const string AccountKey = "AccountName=acct;AccountKey=REASONACCOUNTKEY0123456789+/==;";
        var secrets = new[] { PipelineHarness.ApiKey, "REASONSASSIG", "REASONBEARER", "REASONACCOUNTKEY" };
        harness.Simulator.AddFaults(
            new SimulatedFault { On = SimulatedFaultTarget.Poll, Status = 401, Code = "bad_" + PipelineHarness.ApiKey, Message = $"{Bearer} refused for {Sas}" },
            new SimulatedFault { FailGeneration = $"could not read {Sas} with {Bearer}; {AccountKey} key {PipelineHarness.ApiKey}" });
        await harness.SubmitPairAsync("secret/cat");

        await harness.Tracking.RunUntilIdleAsync();

        var record = Assert.Single(await harness.CompletionRecordsAsync());
        Assert.Equal("failed", record["status"]!.GetValue<string>());
        var logs = string.Join('\n', harness.Logs.Lines);
        Assert.Contains("could not read https://acct.blob.core.windows.net/start-frames/a.png?[redacted]", logs, StringComparison.Ordinal);
        var stored = await EverythingStoredAsync(harness) + record.ToJsonString();
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }
    }
}
