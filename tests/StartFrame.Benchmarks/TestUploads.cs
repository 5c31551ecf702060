using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using StartFrame.Core.Uploads;
using StartFrame.IntegrationTests.Infrastructure;

namespace StartFrame.Benchmarks;

/// <summary>
/// Makes the uploads a measurement processes: each a distinct image blob with its own sidecar, so each upload claims
/// a fresh ledger entry as a real one would. This is setup and never measured. One image per size is uploaded once;
/// each test image is a server-side copy of it (Azurite copies by reference, so a few hundred 5 MB images cost
/// neither upload time nor memory), and each sidecar a small upload.
/// </summary>
/// <remarks>
/// <see cref="ResetAsync"/> deletes them again after each measured loop, so every loop starts from the same near-empty
/// container (Azurite holds everything in memory) and repetitions compare like with like. The task records stay on
/// their queue on purpose: Azurite sweeps its queue storage once a minute, and after a clear it deletes every cleared
/// message's extent one by one — tens of seconds at 100% CPU that stalled whichever run it hit.
/// </remarks>
internal sealed class TestUploads(BenchmarkEnvironment environment)
{
    private const int SetupParallelism = 8;
    private static readonly BinaryData Sidecar = BinaryData.FromString(Sidecars.Valid);
    private readonly BlobContainerClient _uploads = environment.SetupUploads;
    private readonly Dictionary<int, BlobClient> _sourceBySize = [];
    private readonly List<string> _created = [];

    /// <summary>Creates <paramref name="count"/> uploads of <paramref name="imageBytes"/> each under <paramref name="prefix"/>/ and returns the image names.</summary>
    public async Task<IReadOnlyList<string>> CreateAsync(string prefix, int imageBytes, int count, CancellationToken cancellationToken)
    {
        var source = await SourceAsync(imageBytes, cancellationToken);
        var names = Enumerable.Range(0, count).Select(i => string.Create(CultureInfo.InvariantCulture, $"{prefix}/{i:D5}.png")).ToList();
        var options = new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken };
        _created.AddRange(names);
        await Parallel.ForEachAsync(names, options, async (name, token) =>
        {
            // The sidecar first, as a client uploads it, so the image finds it.
            await _uploads.GetBlobClient(UploadNames.SidecarOf(name)).UploadAsync(Sidecar, overwrite: true, token);
            var copy = await _uploads.GetBlobClient(name).StartCopyFromUriAsync(source.Uri, cancellationToken: token);
            if (!copy.HasCompleted)
            {
                await copy.WaitForCompletionAsync(TimeSpan.FromMilliseconds(20), token);
            }
        });
        return names;
    }

    /// <summary>Deletes every upload made so far and empties the simulator's request log.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken)
    {
        var blobs = _created.SelectMany(name => new[] { name, UploadNames.SidecarOf(name) }).ToList();
        _created.Clear();
        var options = new ParallelOptions { MaxDegreeOfParallelism = SetupParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(blobs, options, async (name, token) => await _uploads.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token));
        environment.Simulator.ClearRequests();
    }

    private async Task<BlobClient> SourceAsync(int imageBytes, CancellationToken cancellationToken)
    {
        if (_sourceBySize.TryGetValue(imageBytes, out var existing))
        {
            return existing;
        }

        var png = TestImages.Png(640, 360, padToBytes: imageBytes);
        if (png.Length != imageBytes)
        {
            throw new InvalidOperationException($"The test image came out at {png.Length} bytes instead of {imageBytes}.");
        }

        var source = environment.SetupSources.GetBlobClient(string.Create(CultureInfo.InvariantCulture, $"{imageBytes}.png"));
        await source.UploadAsync(
            BinaryData.FromBytes(png),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "image/png" } },
            cancellationToken);
        _sourceBySize[imageBytes] = source;
        return source;
    }
}
