using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.WaysIn;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.IntegrationTests.Hostile;

/// <summary>A valid sidecar of any size the 64 KiB limit allows gets its task record, and the ledger says recorded.</summary>
[Collection(StorageCollection.Name)]
public sealed class LargeRecordTests(AzuriteFixture azurite)
{
    public static TheoryData<string, string> Prompts => new()
    {
        { "cjk-10000", new string('猫', 10_000) },
        { "ascii-40000", new string('a', 40_000) },
        { "ascii-fills-the-sidecar", new string('b', 65_500) },
        { "cjk-fills-the-sidecar", new string('猫', 21_800) },
    };

    [Theory]
    [MemberData(nameof(Prompts))]
    public async Task A_valid_sidecar_with_a_large_prompt_is_submitted_once_and_its_record_is_delivered(string name, string prompt)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync($"{name}.json", HostileInputs.SidecarWithPrompt(prompt));
        var image = await harness.UploadImageAsync($"{name}.png", TestImages.Png(640, 360));

        var outcome = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        Assert.Equal(OutcomeStatus.Submitted, outcome.Status);
        Assert.Equal(1, harness.Simulator.PostCount);
        var message = Assert.Single((await harness.Tasks.PeekMessagesAsync(32)).Value).Body.ToString();
        Assert.Empty(await RecordSchemas.TaskRecordErrorsAsync(message));
        var record = await RecordsRead.TaskRecordAsync(harness, message);
        Assert.Equal(prompt, record["parameters"]!["prompt"]!.GetValue<string>());
        Assert.Equal(outcome.TaskId, record["taskId"]!.GetValue<string>());
        var row = Assert.Single(await HostileInputs.LedgerRowsOfAsync(harness, $"{name}.png"));
        Assert.Equal("recorded", row.State);

        var status = await HttpCall.RunAsync(harness.Services.GetRequiredService<IVideoApi>().GetAsync(outcome.TaskId!, CancellationToken.None));
        Assert.Equal(200, status.Status);
        Assert.Equal(prompt, status.Json["parameters"]!["prompt"]!.GetValue<string>());

        var again = await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);
        Assert.Equal(OutcomeStatus.AlreadySubmitted, again.Status);
        Assert.Equal(1, harness.Simulator.PostCount);
    }

    [Theory]
    [InlineData(48 * 1024, false)]
    [InlineData(48 * 1024 + 1, true)]
    public async Task A_record_of_48_KiB_is_one_message_and_one_byte_more_is_a_pointer(int bytes, bool stored)
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        var writer = harness.Services.GetRequiredService<StartFrame.Core.Records.RecordWriter>();
        const string Head = """{"schemaVersion":1,"taskId":"t-boundary","correlationId":"c-1","pad":" """;
        var json = Head.TrimEnd() + new string('x', bytes - Head.TrimEnd().Length - 2) + "\"}";
        Assert.Equal(bytes, System.Text.Encoding.UTF8.GetByteCount(json));

        await writer.WriteAsync("video-tasks", json, CancellationToken.None);

        var message = JsonNode.Parse(Assert.Single((await harness.Tasks.PeekMessagesAsync(32)).Value).Body.ToString())!.AsObject();
        Assert.Equal(stored, message.ContainsKey("recordBlob"));
        Assert.Equal("t-boundary", message["taskId"]!.GetValue<string>());
        Assert.Equal(json, await ReadRecordAsync(harness, message));
    }

    /// <summary>The record as a consumer reads it: the message itself, or the blob its pointer names.</summary>
    private static async Task<string> ReadRecordAsync(PipelineHarness harness, JsonObject message)
    {
        if (message["recordBlob"] is not JsonObject pointer)
        {
            return message.ToJsonString();
        }

        var blob = harness.Blobs.GetBlobContainerClient(pointer["container"]!.GetValue<string>()).GetBlobClient(pointer["blob"]!.GetValue<string>());
        return (await blob.DownloadContentAsync()).Value.Content.ToString();
    }

    [Fact]
    public async Task A_record_is_written_without_escaping_non_ASCII_text()
    {
        await using var harness = await PipelineHarness.StartAsync(azurite.Server);
        await harness.UploadSidecarAsync("utf8.json", HostileInputs.SidecarWithPrompt("猫が伸びをする"));
        var image = await harness.UploadImageAsync("utf8.png", TestImages.Png(640, 360));

        await harness.Processor.ProcessBlobAsync(image, null, CancellationToken.None);

        var message = Assert.Single((await harness.Tasks.PeekMessagesAsync(32)).Value).Body.ToString();
        Assert.Contains("猫が伸びをする", message, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", message, StringComparison.Ordinal);
    }
}

/// <summary>Reads a record off its queue message, following the blob pointer when the record did not fit a message.</summary>
internal static class RecordsRead
{
    public static async Task<JsonObject> TaskRecordAsync(PipelineHarness harness, string message)
    {
        var json = JsonNode.Parse(message)!.AsObject();
        if (json["recordBlob"] is not JsonObject pointer)
        {
            return json;
        }

        var blob = harness.Blobs.GetBlobContainerClient(pointer["container"]!.GetValue<string>()).GetBlobClient(pointer["blob"]!.GetValue<string>());
        var content = (await blob.DownloadContentAsync()).Value.Content.ToString();
        Assert.Empty(await RecordSchemas.TaskRecordErrorsAsync(content));
        return JsonNode.Parse(content)!.AsObject();
    }
}
