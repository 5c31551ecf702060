using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Sas;
using StartFrame.Core;

namespace StartFrame.Benchmarks;

/// <summary>
/// The baseline: the upload function as it is usually first written, kept only to compare against (never used by
/// the app). What it does wrong, each on purpose:
/// <list type="bullet">
/// <item>It downloads the whole image (and the sidecar) into memory to look at eight bytes of it: memory, transfer
/// and time grow with the image — a 50 MB start frame costs 50 MB of egress and well over 50 MB of allocations.</item>
/// <item>It builds a new <see cref="BlobServiceClient"/>, <see cref="QueueClient"/> and <see cref="HttpClient"/> on every
/// call: connection-string parsing and a new SDK pipeline each time, and a new TCP (in Azure: TLS) connection per POST,
/// left in TIME_WAIT afterwards — socket exhaustion under a burst.</item>
/// <item>No ledger: a redelivered blob event submits, and pays for, the same video again; a crash between the POST and
/// the queue send loses the task record.</item>
/// <item>No validation beyond the PNG signature and no failure records: a bad upload just throws and is retried.</item>
/// </list>
/// It is not made slower than it needs to be: no container or queue creation per call, the SAS is signed locally.
/// </summary>
internal sealed class NaiveProcessor(string connectionString, Uri modelStreamBaseAddress, string apiKey, Action<ClientOptions> instrument)
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly Uri _generations = new(modelStreamBaseAddress, "v1/video/generations");

    /// <summary>Processes the image <paramref name="blobName"/> (its sidecar next to it) and returns the task id.</summary>
    public async Task<string> ProcessAsync(string blobName, CancellationToken cancellationToken)
    {
        var blobService = new BlobServiceClient(connectionString, Instrumented(new BlobClientOptions()));
        var container = blobService.GetBlobContainerClient(StartFrameOptions.UploadsContainer);
        var image = container.GetBlobClient(blobName);

        var imageBytes = (await image.DownloadContentAsync(cancellationToken)).Value.Content;
        if (!imageBytes.ToMemory().Span.StartsWith(PngSignature))
        {
            throw new InvalidDataException($"{blobName} is not a PNG.");
        }

        var sidecarBytes = (await container.GetBlobClient(Path.ChangeExtension(blobName, ".json")).DownloadContentAsync(cancellationToken)).Value.Content;
        var body = JsonNode.Parse(sidecarBytes.ToString())!.AsObject();
        var imageUrl = image.GenerateSasUri(BlobSasPermissions.Read, DateTimeOffset.UtcNow.AddHours(2));
        body["images"] = new JsonArray(imageUrl.AbsoluteUri);

        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(_generations, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
        var taskId = answer["task_id"]!.GetValue<string>();

        var queue = new QueueClient(connectionString, StartFrameOptions.TasksQueue, Instrumented(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));
        var record = new JsonObject { ["taskId"] = taskId, ["blob"] = blobName, ["model"] = body["model"]?.DeepClone(), ["submittedAt"] = DateTimeOffset.UtcNow };
        await queue.SendMessageAsync(record.ToJsonString(), cancellationToken);
        return taskId;
    }

    private T Instrumented<T>(T options)
        where T : ClientOptions
    {
        // Only the benchmark's request counter; the clients are otherwise what `new XClient(connectionString)` builds.
        instrument(options);
        return options;
    }
}
