using Microsoft.Extensions.DependencyInjection;
using ModelStream.Simulator;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests;

/// <summary>One correlation id from trigger to ModelStream header, record and every log line; no secret ever logged.</summary>
[Collection(StorageCollection.Name)]
public sealed class ObservabilityTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task One_correlation_id_reaches_the_ModelStream_header_the_record_and_every_log_line()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("obs.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("obs.png", TestImages.Png(640, 360));

        await harness.Processor.ProcessBlobAsync(image, "corr-obs-1", CancellationToken.None);

        Assert.Equal("corr-obs-1", Assert.Single(harness.Simulator.Requests).Headers["X-Correlation-Id"]);
        Assert.Equal("corr-obs-1", Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks))["correlationId"]!.GetValue<string>());
        var ours = harness.Logs.Lines.Where(l => l.Contains(" StartFrame.", StringComparison.Ordinal) || l.Contains(" ModelStream.", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(ours);
        Assert.All(ours, line => Assert.Contains("CorrelationId=corr-obs-1", line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Neither_the_API_key_nor_a_SAS_signature_is_ever_logged_whatever_happens()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("secret.json", Sidecars.Valid);
        var image = await harness.UploadImageAsync("secret.png", TestImages.Png(640, 360));
        harness.Simulator.AddFaults(new SimulatedFault { Status = 429 }, new SimulatedFault { Status = 500 });
        await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        var api = harness.Services.GetRequiredService<IVideoApi>();
        harness.Simulator.AddFaults(new SimulatedFault { Status = 401, Message = "bad key " + PipelineHarness.ApiKey });
        await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post("""{"blob": "start-frames/secret.png"}"""), CancellationToken.None));
        await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post("""{"imageUrl": "https://img.example/x.png?sig=USERSECRET"}"""), CancellationToken.None));

        Assert.True(harness.Simulator.PostCount >= 4);
        Assert.NotEmpty(harness.Logs.Lines);
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains(PipelineHarness.ApiKey, StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains("sig=", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Contains("USERSECRET", StringComparison.Ordinal));
    }
}
