using System.Text;
using System.Text.Json.Nodes;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>A failure record echoes bounded input, so it always fits its queue and the ledger.</summary>
[Collection(StorageCollection.Name)]
public sealed class BoundedFailureRecordTests(AzuriteFixture azurite)
{
    public static TheoryData<string, string> InvalidSidecars => new()
    {
        { "thousand-unknown-fields", "{" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"unknown_field_{i}\": {i}")) + "}" },
        { "one-huge-field-name", HostileInputs.Json(new JsonObject { [new string('f', 60_000)] = 1 }) },
        { "huge-cjk-field-name", HostileInputs.Json(new JsonObject { [new string('字', 21_000)] = 1 }) },
        { "thousand-bad-values", "{\"metadata\": {" + string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"seed{i}\": 1")) + "}, \"duration\": 99, \"stype\": \"" + new string('s', 30_000) + "\"}" },
    };

    [Theory]
    [MemberData(nameof(InvalidSidecars))]
    public async Task An_invalid_sidecar_of_any_shape_gets_one_bounded_failure_record_and_redelivery_is_quiet(string name, string sidecar)
    {
        Assert.True(Encoding.UTF8.GetByteCount(sidecar) <= 65_536, $"{name} is {Encoding.UTF8.GetByteCount(sidecar)} bytes");
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync($"{name}.json", sidecar);
        var image = await harness.UploadImageAsync($"{name}.png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Rejected, outcome.Status);
        var message = Assert.Single((await harness.Failures.PeekMessagesAsync(32)).Value).Body.ToString();
        Assert.Empty(await RecordSchemas.FailureRecordErrorsAsync(message));
        var record = JsonNode.Parse(message)!.AsObject();
        var errors = record["errors"]!.AsArray();
        Assert.InRange(errors.Count, 1, 50);
        Assert.All(errors, e => Assert.InRange(e!["field"]!.GetValue<string>().Length, 1, 256));
        Assert.All(errors, e => Assert.InRange(e!["message"]!.GetValue<string>().Length, 1, 1024));
        Assert.True(record["errorCount"]!.GetValue<int>() >= errors.Count);
        Assert.Equal("failed", Assert.Single(await HostileInputs.LedgerRowsOfAsync(harness, $"{name}.png")).State);

        var again = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        Assert.Equal(OutcomeStatus.AlreadyFailed, again.Status);
        Assert.Single((await harness.Failures.PeekMessagesAsync(32)).Value);
        Assert.Equal(0, harness.Simulator.PostCount);
    }
}
