using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using StartFrame.Core.Ledger;
using StartFrame.Core.Records;
using StartFrame.Core.Tracking;

namespace StartFrame.Core.Status;

/// <summary>
/// Saves a task's stored video to a local file for <c>startframe download</c>: streamed in blocks (memory flat in the
/// video's size) into a <c>.part</c> file of its own that takes the final name only once complete, so an interrupted
/// download never leaves a truncated video under the real name. The partial file's name is new each time
/// (<c>&lt;file&gt;.&lt;random&gt;.part</c>, created only if absent), so a <c>&lt;file&gt;.part</c> of the user's is never
/// overwritten or deleted.
/// </summary>
public sealed class VideoDownloader(SubmissionLedger ledger, BlobServiceClient blobs)
{
    /// <summary>The status of <paramref name="taskId"/> as the ledger has it (no ModelStream call), or null when unknown.</summary>
    public async Task<VideoStatus?> FindAsync(string taskId, CancellationToken cancellationToken)
    {
        var entry = await ledger.FindByTaskIdAsync(taskId, cancellationToken).ConfigureAwait(false);
        return entry is null ? null : VideoStatus.From(entry);
    }

    /// <summary>Where <c>download -o <paramref name="output"/></c> saves the video of <paramref name="taskId"/>: the file named,
    /// or — when it names a folder — <c>&lt;taskId&gt;.mp4</c> in that folder, as <c>cp</c> does.</summary>
    public static string TargetPath(string? output, string taskId)
    {
        var file = VideoNames.SafeTaskId(taskId) + ".mp4";
        if (output is null)
        {
            return Path.GetFullPath(file);
        }

        var full = Path.GetFullPath(output);
        return Directory.Exists(full) || output.EndsWith(Path.DirectorySeparatorChar) || output.EndsWith(Path.AltDirectorySeparatorChar)
            ? Path.Combine(full, file)
            : full;
    }

    /// <summary>Downloads <paramref name="video"/> to <paramref name="path"/>, replacing an existing file only when
    /// <paramref name="overwrite"/> (the caller checked and asked).</summary>
    public async Task<long> DownloadAsync(CompletionVideo video, string path, bool overwrite, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(path);
        var blob = blobs.GetBlobContainerClient(video.Container).GetBlobClient(video.Blob);
        var partial = $"{path}.{Guid.NewGuid().ToString("N")[..8]}.part";
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
            {
                await blob.DownloadToAsync(file, new BlobDownloadToOptions
                {
                    ProgressHandler = progress,
                    TransferOptions = new StorageTransferOptions { InitialTransferSize = VideoCopier.BlockSize, MaximumTransferSize = VideoCopier.BlockSize, MaximumConcurrency = VideoCopier.Concurrency },
                }, cancellationToken).ConfigureAwait(false);
            }

            File.Move(partial, path, overwrite);
        }
        finally
        {
            File.Delete(partial); // ours alone: its name was new
        }

        return new FileInfo(path).Length;
    }
}
