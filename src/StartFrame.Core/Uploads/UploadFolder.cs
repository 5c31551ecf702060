using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace StartFrame.Core.Uploads;

/// <summary>What a blob of the uploads container is to the pipeline.</summary>
public enum UploadKind
{
    /// <summary>A start frame (png, jpg, jpeg, webp): processed.</summary>
    Image,

    /// <summary>A sidecar (.json): read when its image is processed, never on its own.</summary>
    Sidecar,

    /// <summary>Anything else: the pipeline does not take it.</summary>
    Other,
}

/// <summary>One blob under a folder of the uploads container, and what it is to the pipeline.</summary>
/// <param name="Name">The blob's name in its container.</param>
/// <param name="Kind">Image, sidecar or other.</param>
public sealed record UploadFolderEntry(string Name, UploadKind Kind);

/// <summary>
/// The blobs under a folder (a name prefix) of the uploads container, listed page by page as they are read, so a folder of
/// any size is never held in memory; what <c>startframe process start-frames/batch1/</c> runs.
/// </summary>
public static class UploadFolder
{
    /// <summary>Every blob whose name starts with <paramref name="prefix"/> (empty: the whole container), in name order.</summary>
    public static async IAsyncEnumerable<UploadFolderEntry> ListAsync(
        BlobContainerClient container,
        string prefix,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        var blobs = container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix.Length == 0 ? null : prefix }, cancellationToken);
        await foreach (var item in blobs.ConfigureAwait(false))
        {
            yield return new UploadFolderEntry(item.Name, KindOf(item.Name));
        }
    }

    /// <summary>Whether any blob's name starts with <paramref name="prefix"/> (one listing request of one item).</summary>
    public static async Task<bool> AnyAsync(BlobContainerClient container, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(container);
        await foreach (var page in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).AsPages(pageSizeHint: 1).ConfigureAwait(false))
        {
            return page.Values.Count > 0;
        }

        return false;
    }

    /// <summary>What a blob name is to the pipeline.</summary>
    public static UploadKind KindOf(string name) =>
        UploadNames.IsImage(name) ? UploadKind.Image : UploadNames.IsSidecar(name) ? UploadKind.Sidecar : UploadKind.Other;
}
