using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace StartFrame.Core.Redrives;

/// <summary>
/// Reads the dead-letter container: every <c>.json</c> blob, parsed as Event Grid's dead-letter format (a JSON array of
/// events). Reads only; marking a blob handled is metadata, never a delete (the events are the only trace of the uploads).
/// </summary>
public sealed class DeadLetterReader(BlobContainerClient container)
{
    /// <summary>The metadata a redrive sets on a dead-letter blob whose events it all handled (ISO 8601 UTC).</summary>
    public const string RedrivenAtMetadata = "startframe_redriven_at";

    /// <summary>A dead-letter blob larger than this is reported, not read (Event Grid events are at most 1 MB each).</summary>
    public const long MaxBlobBytes = 16 * 1024 * 1024;

    /// <summary>The container read.</summary>
    public BlobContainerClient Container => container;

    /// <summary>Every dead-letter blob in name order (Event Grid's names sort by topic, subscription, then time).</summary>
    public async IAsyncEnumerable<DeadLetterBlob> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Traits = BlobTraits.Metadata }, cancellationToken).ConfigureAwait(false))
        {
            if (!item.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            yield return await ReadAsync(item, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Records on the blob, in metadata, that every event in it was handled at <paramref name="at"/>.</summary>
    public async Task MarkRedrivenAsync(string blobName, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(blobName);
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var metadata = new Dictionary<string, string>(properties.Value.Metadata, StringComparer.OrdinalIgnoreCase)
        {
            [RedrivenAtMetadata] = at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        };
        // Conditional on the ETag read, so metadata set by someone else in between is not overwritten.
        await blob.SetMetadataAsync(metadata, new BlobRequestConditions { IfMatch = properties.Value.ETag }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeadLetterBlob> ReadAsync(BlobItem item, CancellationToken cancellationToken)
    {
        var redrivenAt = item.Metadata is not null && item.Metadata.TryGetValue(RedrivenAtMetadata, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        if (item.Properties.ContentLength is > MaxBlobBytes)
        {
            return new DeadLetterBlob(item.Name, [], $"{item.Properties.ContentLength} bytes, more than a dead-letter blob holds ({MaxBlobBytes}); not read", redrivenAt);
        }

        var content = (await container.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        try
        {
            using var document = JsonDocument.Parse(content.ToMemory());
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? new DeadLetterBlob(item.Name, document.RootElement.EnumerateArray().Select(DeadLetteredEvent.From).ToList(), null, redrivenAt)
                : new DeadLetterBlob(item.Name, [], $"not a JSON array of events (a {document.RootElement.ValueKind})", redrivenAt);
        }
        catch (JsonException ex)
        {
            return new DeadLetterBlob(item.Name, [], $"not JSON ({ex.Message.Split('.')[0]})", redrivenAt);
        }
    }
}
