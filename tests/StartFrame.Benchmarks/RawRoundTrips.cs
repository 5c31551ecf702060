using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Queues;
using StartFrame.Core.Ledger;
using StartFrame.Core.Uploads;

namespace StartFrame.Benchmarks;

/// <summary>
/// The round trips one accepted upload costs, made directly and back to back — the core's own SDK clients for the
/// seven storage operations (the snapshot that pins the validated bytes, and the task's first tracking message, among
/// them), a plain <see cref="HttpClient"/> for the POST — with nothing in between: the floor the
/// pipeline's wall time is compared with (P3). The bodies are the ones the core sent in the same run, and the ledger
/// row is a copy of the one it wrote (its final form, for the claim too: a few hundred bytes more than a claim).
/// </summary>
internal sealed class RawRoundTrips(BlobContainerClient uploads, TableClient ledger, QueueClient tasks, QueueClient tracking, HttpClient http, Uri modelStreamBaseAddress, string apiKey)
{
    /// <summary>The steps, in the order an upload makes them.</summary>
    public static IReadOnlyList<string> Steps { get; } =
        ["image GET (ranged, 64 KiB)", "sidecar GET (ranged)", "ledger claim POST", "image snapshot PUT (If-Match)", "ModelStream POST", "queue message POST", "tracking message POST", "ledger outcome PUT"];

    private readonly Uri _generations = new(modelStreamBaseAddress, "v1/video/generations");

    /// <summary>Makes the round trips of the upload <paramref name="imageName"/>; returns each step's milliseconds.</summary>
    /// <param name="imageName">An image blob (with its sidecar) not processed before: the claim is a real insert.</param>
    /// <param name="bodies">What the core sent for an upload like it.</param>
    /// <param name="cancellationToken">Cancels.</param>
    public async Task<double[]> RunAsync(string imageName, UploadBodies bodies, CancellationToken cancellationToken)
    {
        var laps = new double[Steps.Count];
        var started = Stopwatch.GetTimestamp();
        var imageBlob = uploads.GetBlobClient(imageName);
        var (image, _) = await ReadRangeAsync(imageBlob, UploadReader.ImageHeadBytes, cancellationToken);
        laps[0] = Lap(ref started);
        var (_, sidecar) = await ReadRangeAsync(uploads.GetBlobClient(UploadNames.SidecarOf(imageName)), UploadReader.SidecarMaxBytes + 1, cancellationToken);
        laps[1] = Lap(ref started);

        var identity = UploadIdentity.Of(image.BlobContentHash ?? [], image.ContentLength, image.ETag.ToString(), sidecar);
        var key = LedgerKey.ForUpload(uploads.Name, imageName, identity);
        var row = new TableEntity(new Dictionary<string, object>(bodies.LedgerRow)) { PartitionKey = key.PartitionKey, RowKey = key.RowKey };
        await ledger.AddEntityAsync(row, cancellationToken);
        laps[2] = Lap(ref started);

        await imageBlob.CreateSnapshotAsync(conditions: new BlobRequestConditions { IfMatch = image.ETag }, cancellationToken: cancellationToken);
        laps[3] = Lap(ref started);
        await PostAsync(bodies.Post, cancellationToken);
        laps[4] = Lap(ref started);
        await tasks.SendMessageAsync(bodies.Record, cancellationToken);
        laps[5] = Lap(ref started);
        await tracking.SendMessageAsync(bodies.Tracking, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(-1), cancellationToken);
        laps[6] = Lap(ref started);

        await ledger.UpdateEntityAsync(row, ETag.All, TableUpdateMode.Replace, cancellationToken);
        laps[7] = Lap(ref started);
        return laps;
    }

    private static double Lap(ref long started)
    {
        var now = Stopwatch.GetTimestamp();
        var elapsed = Stopwatch.GetElapsedTime(started, now).TotalMilliseconds;
        started = now;
        return elapsed;
    }

    private static async Task<(BlobDownloadDetails Details, byte[] Bytes)> ReadRangeAsync(BlobClient blob, int count, CancellationToken cancellationToken)
    {
        using var download = (await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(0, count) }, cancellationToken)).Value;
        var buffer = new byte[count];
        var read = 0;
        int n;
        while (read < count && (n = await download.Content.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return (download.Details, buffer[..read]);
    }

    private async Task PostAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _generations) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchmarkFailedException($"the raw POST was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        _ = answer["task_id"]!.GetValue<string>(); // read as the core reads it
    }
}
