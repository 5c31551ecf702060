using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using StartFrame.Core.Ledger;
using StartFrame.Core.Records;
using StartFrame.Core.Tracking;

namespace StartFrame.Core.Status;

/// <summary>
/// Saves a task's stored video to a local file for <c>startframe download</c>: streamed in blocks (memory flat in the
/// video's size) into a <c>.part</c> file that takes the final name only once complete, so an interrupted download
/// never leaves a truncated video under the real name.
/// </summary>
public sealed class VideoDownloader(SubmissionLedger ledger, BlobServiceClient blobs)
{
    /// <summary>The status of <paramref name="taskId"/> as the ledger has it (no ModelStream call), or null when unknown.</summary>
    public async Task<VideoStatus?> FindAsync(string taskId, CancellationToken cancellationToken)
    {
        var entry = await ledger.FindByTaskIdAsync(taskId, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : VideoStatus.From(entry);
    }

    /// <summary>Downloads <paramref name="video"/> to <paramref name="path"/>, replacing an existing file only when
    /// <paramref name="overwrite"/> (the caller checked and asked).</summary>
    public async Task<long> DownloadAsync(CompletionVideo video, string path, bool overwrite, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(video);
        var blob = blobs.GetBlobContainerClient(video.Container).GetBlobClient(video.Blob);
        var partial = path + ".part";
        try
        {
            await blob.DownloadToAsync(partial, new BlobDownloadToOptions
            {
                ProgressHandler = progress,
                TransferOptions = new StorageTransferOptions { InitialTransferSize = VideoCopier.BlockSize, MaximumTransferSize = VideoCopier.BlockSize, MaximumConcurrency = VideoCopier.Concurrency },
            }, cancellationToken).ConfigureAwait(false);
            File.Move(partial, path, overwrite);
        }
        finally
        {
            File.Delete(partial);
        }

        return new FileInfo(path).Length;
    }
}
