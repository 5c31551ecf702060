using System.Collections.Concurrent;

namespace StartFrame.LocalDev.EventGrid;

/// <summary>
/// The ETag last published for each blob of a watched container. Azurite has no change feed, so the only way to tell a
/// new or replaced blob from one already seen is to remember its ETag. Held apart from <see cref="BlobChangeWatcher"/>
/// so a watcher started again in the same run (after a failure, or by the next mode) publishes nothing twice.
/// </summary>
public sealed class SeenBlobs
{
    private readonly ConcurrentDictionary<string, string> _etags = new(StringComparer.Ordinal);

    /// <summary>Remembers <paramref name="etag"/> for <paramref name="blobName"/>; true when the blob is new or its ETag changed.</summary>
    public bool TryRemember(string blobName, string etag)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        ArgumentNullException.ThrowIfNull(etag);
        var known = _etags.GetValueOrDefault(blobName);
        if (string.Equals(known, etag, StringComparison.Ordinal))
        {
            return false;
        }

        _etags[blobName] = etag;
        return true;
    }
}
