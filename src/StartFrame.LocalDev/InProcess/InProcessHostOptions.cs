using StartFrame.LocalDev.Dev;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.LocalDev.InProcess;

/// <summary>What the in-process host runs with.</summary>
public sealed record InProcessHostOptions
{
    /// <summary>App settings over the environment's (<c>AzureWebJobsStorage</c>, <c>ModelStream:BaseUrl</c>, ...), as configuration keys.</summary>
    public required IReadOnlyDictionary<string, string?> Settings { get; init; }

    /// <summary>host.json's trigger settings.</summary>
    public required HostJson Host { get; init; }

    /// <summary>The HTTP API's loopback port; 0 for a free one.</summary>
    public int ApiPort { get; init; }

    /// <summary>Between two listings of the uploads container; <see cref="BlobChangeWatcher.DefaultInterval"/> when null.</summary>
    public TimeSpan? WatchInterval { get; init; }

    /// <summary>The blobs already published in this run.</summary>
    public SeenBlobs Seen { get; init; } = new();

    /// <summary>Write the core's logs (information and up) to stderr; off, the activity lines are all there is.</summary>
    public bool Logs { get; init; }

    /// <summary>Told of every blob processed, queue message handled and HTTP request answered.</summary>
    public Action<DevActivity>? Report { get; init; }
}
