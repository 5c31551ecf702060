using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using StartFrame.Core;
using StartFrame.Core.Ledger;
using StartFrame.Core.Redrives;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Cli;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>The operator's redrives meet what they find: a dead-lettered subject that climbs out of the uploads container,
/// an event whose processing breaks, a debt row the table refuses. Each is reported; the others still go on.</summary>
[Collection(StorageCollection.Name)]
public sealed class RedriveIsolationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_dead_lettered_subject_with_dot_dot_is_refused_as_every_other_way_in_refuses_it()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var deadLetters = await DeadLetterRedriveCommandTests.FreshDeadLetterContainerAsync(harness);
        var secret = harness.Blobs.GetBlobContainerClient("secret");
        await secret.CreateIfNotExistsAsync();
        await secret.GetBlobClient("y.json").UploadAsync(BinaryData.FromString(Sidecars.Valid), overwrite: true);
        await secret.GetBlobClient("y.png").UploadAsync(BinaryData.FromBytes(TestImages.Png(640, 360)), overwrite: true);
        await harness.UploadSidecarAsync("ok/cat.json", Sidecars.Valid);
        var cat = await harness.UploadImageAsync("ok/cat.png", TestImages.Png(640, 360));
        var climbing = await DeadLetterRedriveCommandTests.EventOfAsync(cat);
        climbing["subject"] = "/blobServices/default/containers/start-frames/blobs/../secret/y.png";
        await DeadLetterRedriveCommandTests.WriteDeadLettersAsync(deadLetters, "t/s/2026/1/1/0/a.json", climbing, await DeadLetterRedriveCommandTests.EventOfAsync(cat));

        var results = await RedriveAllAsync(harness);

        Assert.Equal(2, results.Count);
        Assert.Equal(DeadLetterStatus.Refused, results[0].Status);
        Assert.Contains("'..' path segment", results[0].Detail, StringComparison.Ordinal);
        Assert.Equal("submitted", results[1].Status);
        Assert.Equal(1, harness.Simulator.PostCount);
        Assert.Empty(await PipelineHarness.PeekAllAsync(harness.Failures));
        var ledger = await harness.Ledger.QueryAsync<TableEntity>().ToListAsync();
        Assert.DoesNotContain(ledger, e => (e.GetString(nameof(LedgerEntry.Container)) ?? "") == "secret" || (e.GetString(nameof(LedgerEntry.Blob)) ?? "").Contains("y.png", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_event_whose_processing_breaks_is_reported_and_the_events_after_it_still_run()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var deadLetters = await DeadLetterRedriveCommandTests.FreshDeadLetterContainerAsync(harness);
        await harness.UploadSidecarAsync("iso/broken.json", Sidecars.Valid);
        var broken = await harness.UploadImageAsync("iso/broken.png", TestImages.Png(640, 360));
        await harness.UploadSidecarAsync("iso/cat.json", Sidecars.Valid);
        var cat = await harness.UploadImageAsync("iso/cat.png", TestImages.Png(640, 360));
        await DeadLetterRedriveCommandTests.WriteDeadLettersAsync(deadLetters, "t/s/2026/1/1/0/b.json",
            await DeadLetterRedriveCommandTests.EventOfAsync(broken), await DeadLetterRedriveCommandTests.EventOfAsync(cat));
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/iso/broken.png", StringComparison.Ordinal));

        var results = await RedriveAllAsync(harness);

        Assert.Equal(2, results.Count);
        Assert.Equal("failed", results[0].Status);
        Assert.True(results[0].IsFailure);
        Assert.Equal("submitted", results[1].Status);
        Assert.Equal("recorded", (await harness.LedgerEntryOfAsync(cat))!.State);
    }

    [Fact]
    public async Task A_debt_row_whose_keys_the_table_refuses_is_reported_and_the_good_debts_are_written()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server, clock: new FakeTimeProvider(DateTimeOffset.UtcNow));
        await harness.UploadImageAsync("owed/cat.png", TestImages.Png(640, 360));
        var api = harness.Services.GetRequiredService<IVideoApi>();
        var sweeper = harness.Services.GetRequiredService<IOwedRecordSweeper>();
        harness.StorageFaults.FailWhen(m => m.Request.Uri.Path.EndsWith("/video-tasks/messages", StringComparison.Ordinal));
        var accepted = await HttpCall.RunAsync(api.SubmitAsync(HttpCall.Post("""{"blob": "start-frames/owed/cat.png", "prompt": "a cat"}"""), CancellationToken.None));
        Assert.Equal(202, accepted.Status);
        harness.StorageFaults.Heal();
        var owed = new TableClient(azurite.Server.ConnectionString, StartFrameOptions.OwedRecordsTable);
        // Sorted before the good debt (a RowKey of zeros), so a sweep that stops at it never reaches the good one.
        await owed.UpsertEntityAsync(new TableEntity(OwedRecordMarker.Partition, new string('0', 64))
        {
            [nameof(OwedRecordMarker.LedgerPartitionKey)] = "bad/partition#key?",
            [nameof(OwedRecordMarker.LedgerRowKey)] = "row\u0001key",
            [nameof(OwedRecordMarker.OwedSince)] = DateTimeOffset.UtcNow.AddHours(-1),
        });

        var items = await sweeper.SweepAsync(TimeSpan.Zero, dryRun: false, CancellationToken.None);

        Assert.Equal(2, items.Count);
        var bad = Assert.Single(items, i => i.Subject.StartsWith("bad/", StringComparison.Ordinal));
        Assert.True(bad.Outcome == "refused", bad.Outcome + ": " + bad.Detail);
        Assert.False(string.IsNullOrEmpty(bad.Detail));
        Assert.Equal(OwedSweepOutcomes.Written, Assert.Single(items, i => i != bad).Outcome);
        Assert.Single(await PipelineHarness.PeekAllAsync(harness.Tasks));
    }

    private static async Task<List<DeadLetterRedriveResult>> RedriveAllAsync(PipelineHarness harness)
    {
        var redriver = new DeadLetterRedriver(harness.Blobs, harness.Processor, TimeProvider.System);
        var reader = redriver.Reader(StartFrameOptions.DeadLetterContainer);
        var results = new List<DeadLetterRedriveResult>();
        await foreach (var blob in reader.ReadAllAsync(CancellationToken.None))
        {
            results.AddRange((await redriver.RedriveAsync(reader, blob, dryRun: false, CancellationToken.None)).Results);
        }

        return results;
    }
}
