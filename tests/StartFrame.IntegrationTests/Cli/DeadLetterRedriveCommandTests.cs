using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using StartFrame.Cli.Commands.Operating;
using StartFrame.Core;
using StartFrame.Core.Redrives;
using StartFrame.IntegrationTests.Infrastructure;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>
/// <c>startframe redrive --dead-letter</c>, run as the real CLI process against Azurite and the simulator, on blobs in
/// Event Grid's dead-letter format: <c>{TOPIC}/{SUBSCRIPTION}/{yyyy}/{M}/{d}/{H}/{guid}.json</c>, each a JSON array of
/// Event Grid events carrying deadLetterReason, deliveryAttempts, lastDeliveryOutcome, lastHttpStatusCode,
/// publishTime and lastDeliveryAttemptTime.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class DeadLetterRedriveCommandTests(AzuriteFixture azurite)
{
    private const string Folder = "EVGST-STORAGE-TEST/START-FRAMES-BLOB-CREATED/2026/11/29/22";

    [Fact]
    public async Task Dead_lettered_uploads_become_exactly_one_task_record_per_image_even_when_redriven_twice()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var deadLetters = await FreshDeadLetterContainerAsync(harness);
        var catSidecar = await harness.UploadSidecarAsync("lost/cat.json", Sidecars.Valid);
        var cat = await harness.UploadImageAsync("lost/cat.png", TestImages.Png(640, 360));
        var owl = await harness.UploadImageAsync("lost/owl.png", TestImages.Png(360, 640));
        var owlSidecar = await harness.UploadSidecarAsync("lost/owl.json", Sidecars.Valid);
        // Event Grid batches what it dead-letters: one blob may hold several events, in any order. The reader goes by blob
        // name, so the two are named to sort in the order written (two bare GUIDs came back in either order).
        await WriteDeadLettersAsync(deadLetters, $"{Folder}/1-{Guid.NewGuid()}.json", await EventOfAsync(catSidecar), await EventOfAsync(cat));
        await WriteDeadLettersAsync(deadLetters, $"{Folder}/2-{Guid.NewGuid()}.json", await EventOfAsync(owl), await EventOfAsync(owlSidecar));

        var first = await CliProcess.RunAsync(harness.Settings, "redrive", "--dead-letter", "--json");

        Assert.True(first.ExitCode == 0, first.StandardError);
        var lines = JsonLines(first.StandardOutput);
        Assert.Equal(4, lines.Count);
        Assert.All(lines, l => Assert.Equal("MaxDeliveryAttemptsExceeded", l["deadLetterReason"]!.GetValue<string>()));
        Assert.Equal(["start-frames/lost/cat.json", "start-frames/lost/cat.png", "start-frames/lost/owl.png", "start-frames/lost/owl.json"],
            lines.Select(l => l["blob"]!.GetValue<string>()));
        Assert.Equal(2, lines.Count(l => l["status"]!.GetValue<string>() == "submitted"));
        Assert.Contains("4 dead-lettered events in 2 blobs of start-frames-deadletter: 4 handled, 0 refused, 0 failed; 2 blobs marked", first.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, (await PipelineHarness.PeekAllAsync(harness.Tasks)).Count);
        Assert.Equal(2, harness.Simulator.PostCount);

        var second = await CliProcess.RunAsync(harness.Settings, "redrive", "--dead-letter", "--json");

        Assert.True(second.ExitCode == 0, second.StandardError);
        Assert.All(JsonLines(second.StandardOutput), l => Assert.Equal("already_submitted", l["status"]!.GetValue<string>()));
        var records = await PipelineHarness.PeekAllAsync(harness.Tasks);
        Assert.Equal(2, records.Count);
        Assert.Equal(["lost/cat.png", "lost/owl.png"], records.Select(r => r["source"]!["blob"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.Equal(2, harness.Simulator.PostCount);
        Assert.Equal("recorded", (await harness.LedgerEntryOfAsync(cat))!.State);
        Assert.Equal("recorded", (await harness.LedgerEntryOfAsync(owl))!.State);

        // Never deleted: each dead-letter blob is still there, marked handled in its metadata.
        var kept = new List<string>();
        await foreach (var item in deadLetters.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            Assert.True(item.Metadata.ContainsKey(DeadLetterReader.RedrivenAtMetadata), $"{item.Name} is not marked.");
            kept.Add(item.Name);
        }

        Assert.Equal(2, kept.Count);
    }

    [Fact]
    public async Task A_dry_run_lists_every_event_refuses_other_containers_and_changes_nothing()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var deadLetters = await FreshDeadLetterContainerAsync(harness);
        await harness.UploadSidecarAsync("dry/cat.json", Sidecars.Valid);
        var cat = await harness.UploadImageAsync("dry/cat.png", TestImages.Png(640, 360));
        var elsewhere = (await EventOfAsync(cat)).DeepClone().AsObject();
        elsewhere["subject"] = "/blobServices/default/containers/other-uploads/blobs/dry/cat.png";
        await WriteDeadLettersAsync(deadLetters, $"{Folder}/{Guid.NewGuid()}.json", await EventOfAsync(cat), elsewhere);

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--dead-letter", DeadLetterRedrive.DefaultContainer, "--dry-run", "--json");

        Assert.Equal(2, run.ExitCode);
        var lines = JsonLines(run.StandardOutput);
        Assert.Equal([("would_process", "start-frames/dry/cat.png"), ("refused", "other-uploads/dry/cat.png")],
            lines.Select(l => (l["status"]!.GetValue<string>(), l["blob"]!.GetValue<string>())));
        Assert.Contains("only start-frames is processed", lines[1]["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("dry run, nothing changed.", run.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, harness.Simulator.PostCount);
        Assert.Null(await harness.LedgerEntryOfAsync(cat));
        await foreach (var item in deadLetters.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }))
        {
            Assert.False(item.Metadata.ContainsKey(DeadLetterReader.RedrivenAtMetadata));
        }
    }

    [Fact]
    public async Task An_unreadable_dead_letter_blob_is_reported_kept_and_fails_the_run()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var deadLetters = await FreshDeadLetterContainerAsync(harness);
        var name = $"{Folder}/{Guid.NewGuid()}.json";
        await deadLetters.GetBlobClient(name).UploadAsync(BinaryData.FromString("{\"not\": \"an array\"}"));

        var run = await CliProcess.RunAsync(harness.Settings, "redrive", "--dead-letter", "--json");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(JsonLines(run.StandardOutput));
        Assert.Equal("unreadable", line["status"]!.GetValue<string>());
        Assert.Equal(name, line["deadLetterBlob"]!.GetValue<string>());
        Assert.True((await deadLetters.GetBlobClient(name).ExistsAsync()).Value);
    }

    [Fact]
    public void Redrive_with_both_poison_and_dead_letter_exits_2()
    {
        var run = CliRunner.Run(RedriveCommand.Create(), "redrive", "--poison", "--dead-letter");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("redrive: give --poison or --dead-letter, not both.", run.Error.Trim());
    }

    /// <summary>The BlobCreated event Event Grid would have delivered for <paramref name="blob"/>, as it dead-letters it.</summary>
    internal static async Task<JsonObject> EventOfAsync(BlobClient blob)
    {
        var properties = (await blob.GetPropertiesAsync()).Value;
        var source = new BlobCreatedSource(blob.AccountName, blob.BlobContainerName, blob.Name, blob.Uri, properties.ETag.ToString(), properties.ContentType, properties.ContentLength);
        var delivered = BlobCreatedEventBuilder.Build(source, properties.LastModified);
        var deadLettered = JsonNode.Parse(BlobCreatedEventBuilder.ToJson(delivered))!.AsArray()[0]!.AsObject();
        deadLettered["deadLetterReason"] = "MaxDeliveryAttemptsExceeded";
        deadLettered["deliveryAttempts"] = 30;
        deadLettered["lastDeliveryOutcome"] = "Busy";
        deadLettered["lastHttpStatusCode"] = 503;
        deadLettered["publishTime"] = properties.LastModified.UtcDateTime.ToString("O");
        deadLettered["lastDeliveryAttemptTime"] = properties.LastModified.AddHours(24).UtcDateTime.ToString("O");
        return deadLettered;
    }

    internal static async Task WriteDeadLettersAsync(BlobContainerClient container, string name, params JsonObject[] events) =>
        await container.GetBlobClient(name).UploadAsync(BinaryData.FromString(new JsonArray([.. events.Select(e => e.DeepClone())]).ToJsonString()));

    internal static async Task<BlobContainerClient> FreshDeadLetterContainerAsync(PipelineHarness harness)
    {
        var container = harness.Blobs.GetBlobContainerClient(StartFrameOptions.DeadLetterContainer);
        await container.DeleteIfExistsAsync();
        await container.CreateAsync();
        return container;
    }

    private static List<JsonNode> JsonLines(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
}
