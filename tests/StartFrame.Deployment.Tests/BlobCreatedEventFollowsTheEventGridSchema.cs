using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using NJsonSchema;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.Deployment.Tests;

/// <summary>
/// The synthetic event the local loop posts is what Event Grid delivers in Azure (the documented Event Grid schema of
/// Microsoft.Storage.BlobCreated), and carries what the blob extension's webhook reads from it.
/// </summary>
public sealed class BlobCreatedEventFollowsTheEventGridSchema
{
    private static readonly BlobCreatedSource Blob = new(
        AccountName: "devstoreaccount1",
        Container: "start-frames",
        BlobName: "shoots/day 1/cat.png",
        Url: new Uri("http://127.0.0.1:10000/devstoreaccount1/start-frames/shoots/day%201/cat.png"),
        ETag: "\"0x8DC1A2B3C4D5E6F\"",
        ContentType: "image/png",
        ContentLength: 48213);

    private static readonly DateTimeOffset CommittedAt = new(2025, 11, 24, 10, 30, 15, 123, TimeSpan.FromHours(1));

    private static JsonElement Wire(Guid? id = null)
    {
        using var document = JsonDocument.Parse(BlobCreatedEventBuilder.ToJson(BlobCreatedEventBuilder.Build(Blob, CommittedAt, id)));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Wire_form_validates_against_the_documented_schema()
    {
        var schema = await JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Schemas", "eventgrid-blobcreated.schema.json"));

        var errors = schema.Validate(BlobCreatedEventBuilder.ToJson(BlobCreatedEventBuilder.Build(Blob, CommittedAt)));

        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public void Is_an_array_of_one_event_as_Event_Grid_posts_to_webhooks()
    {
        var wire = Wire();

        Assert.Equal(JsonValueKind.Array, wire.ValueKind);
        Assert.Equal(1, wire.GetArrayLength());
    }

    [Fact]
    public void Envelope_names_the_account_container_and_blob_like_Blob_Storage_does()
    {
        var id = Guid.Parse("831e1650-001e-001b-66ab-eeb76e069631");
        var e = Wire(id)[0];

        Assert.Equal(id.ToString(), e.GetProperty("id").GetString());
        Assert.Equal("Microsoft.Storage.BlobCreated", e.GetProperty("eventType").GetString());
        Assert.Equal("/blobServices/default/containers/start-frames/blobs/shoots/day 1/cat.png", e.GetProperty("subject").GetString());
        Assert.EndsWith("/providers/Microsoft.Storage/storageAccounts/devstoreaccount1", e.GetProperty("topic").GetString(), StringComparison.Ordinal);
        Assert.Equal("2025-11-24T09:30:15.123Z", e.GetProperty("eventTime").GetString());
        Assert.Equal("", e.GetProperty("dataVersion").GetString());
        Assert.Equal("1", e.GetProperty("metadataVersion").GetString());
    }

    [Fact]
    public void Data_carries_what_the_blob_extension_reads_in_the_form_it_parses()
    {
        var data = Wire()[0].GetProperty("data");

        // The extension: new BlobUriBuilder(new Uri(data.url)) for container and name; ETag = "\"" + data.eTag + "\"";
        // BlobType = Enum.Parse(data.blobType.Replace("Blob", "")).
        var url = new BlobUriBuilder(new Uri(data.GetProperty("url").GetString()!));
        Assert.Equal("devstoreaccount1", url.AccountName);
        Assert.Equal("start-frames", url.BlobContainerName);
        Assert.Equal("shoots/day 1/cat.png", url.BlobName);
        Assert.Equal("0x8DC1A2B3C4D5E6F", data.GetProperty("eTag").GetString());
        Assert.Equal(BlobType.Block, Enum.Parse<BlobType>(data.GetProperty("blobType").GetString()!.Replace("Blob", "", StringComparison.Ordinal)));
        Assert.Equal("image/png", data.GetProperty("contentType").GetString());
        Assert.Equal(48213, data.GetProperty("contentLength").GetInt64());
    }

    [Fact]
    public void The_url_never_carries_a_query_such_as_a_SAS()
    {
        var signed = Blob with { Url = new Uri(Blob.Url + "?sv=2024-05-04&sig=secret") };

        var json = BlobCreatedEventBuilder.ToJson(BlobCreatedEventBuilder.Build(signed, CommittedAt));

        Assert.DoesNotContain("sig=", json, StringComparison.Ordinal);
    }
}
