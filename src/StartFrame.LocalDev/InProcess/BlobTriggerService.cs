using Microsoft.Extensions.Hosting;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.LocalDev.InProcess;

/// <summary>The blob trigger of the in-process host: the uploads container's watcher feeding <see cref="InProcessBlobTrigger"/>.</summary>
internal sealed class BlobTriggerService(BlobChangeWatcher watcher, InProcessBlobTrigger trigger, int maxDegreeOfParallelism) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => watcher.RunAsync(trigger.RunAsync, maxDegreeOfParallelism, stoppingToken);
}
