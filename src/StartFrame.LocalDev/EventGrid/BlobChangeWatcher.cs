using System.Threading.Channels;
using Azure;
using Azure.Storage.Blobs;

namespace StartFrame.LocalDev.EventGrid;

/// <summary>
/// Blob Storage's side of Event Grid, played locally: lists a container every <see cref="Interval"/> and publishes each
/// blob that is new or has a new ETag, once, to a handler (up to a given number at once). Azurite emits no events and
/// has no change feed, so polling the listing and remembering ETags (<see cref="SeenBlobs"/>) is the only signal it
/// offers; a blob replaced twice between two looks is published once, at its latest ETag.
/// </summary>
/// <param name="container">The container to watch (<c>start-frames</c>).</param>
/// <param name="seen">What was already published; share it between watchers of one run so none publishes twice.</param>
/// <param name="interval">Between two listings; <see cref="DefaultInterval"/> when null.</param>
public sealed class BlobChangeWatcher(BlobContainerClient container, SeenBlobs seen, TimeSpan? interval = null)
{
    /// <summary>One listing a second: an upload is picked up about as fast as Event Grid delivers in Azure.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);

    /// <summary>Between two listings.</summary>
    public TimeSpan Interval { get; } = interval ?? DefaultInterval;

    /// <summary>
    /// Watches until <paramref name="cancellationToken"/> is cancelled, handing each change to <paramref name="handler"/>
    /// (at most <paramref name="concurrency"/> at once, as Event Grid delivers events in parallel). A change is
    /// published when it is seen: retrying its delivery is the handler's job, as it is Event Grid's, not the storage's.
    /// </summary>
    /// <exception cref="Exception">Whatever a handler or the listing throws, other than the cancellation: the watch ends.</exception>
    public async Task RunAsync(Func<BlobChange, CancellationToken, Task> handler, int concurrency, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var changes = Channel.CreateUnbounded<BlobChange>(new UnboundedChannelOptions { SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => WorkAsync(changes.Reader, handler, stop), CancellationToken.None)).ToArray();
        try
        {
            using var timer = new PeriodicTimer(Interval);
            do
            {
                foreach (var change in await PollAsync(stop.Token).ConfigureAwait(false))
                {
                    changes.Writer.TryWrite(change);
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped, or a handler failed (its exception surfaces below).
        }
        finally
        {
            changes.Writer.TryComplete();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
    }

    /// <summary>Lists the container once and returns (and remembers) the blobs that are new or have a new ETag.</summary>
    public async Task<IReadOnlyList<BlobChange>> PollAsync(CancellationToken cancellationToken)
    {
        var found = new List<BlobChange>();
        try
        {
            await foreach (var item in container.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var etag = item.Properties.ETag?.ToString();
                if (etag is null || !seen.TryRemember(item.Name, etag))
                {
                    continue;
                }

                var source = new BlobCreatedSource(
                    container.AccountName,
                    container.Name,
                    item.Name,
                    container.GetBlobClient(item.Name).Uri,
                    etag,
                    item.Properties.ContentType ?? "application/octet-stream",
                    item.Properties.ContentLength ?? 0);
                found.Add(new BlobChange(source, item.Properties.LastModified ?? DateTimeOffset.UtcNow));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The container does not exist yet: nothing was uploaded.
        }

        return found;
    }

    private static async Task WorkAsync(ChannelReader<BlobChange> changes, Func<BlobChange, CancellationToken, Task> handler, CancellationTokenSource stop)
    {
        try
        {
            await foreach (var change in changes.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await handler(change, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping.
        }
        catch
        {
            // A handler failed: stop the watch so the failure is seen, not a silent worker short.
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }
}
