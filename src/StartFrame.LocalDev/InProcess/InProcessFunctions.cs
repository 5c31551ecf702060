using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StartFrame.Core;
using StartFrame.Core.Storage;
using StartFrame.Core.Tracking;
using StartFrame.Core.WaysIn;
using StartFrame.LocalDev.EventGrid;

namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// The functions of <c>src/StartFrame.Functions</c> as the in-process host runs them: each trigger hands its input to
/// the same core call as the function's adapter does. A function added to the app gets its line here.
/// </summary>
internal static class InProcessFunctions
{
    /// <summary>The functions of the app this host runs, by their <c>[Function]</c> names (a test compares them with functions.metadata).</summary>
    public static IReadOnlyList<string> Names { get; } = [.. TriggerTable.All.Select(t => t.Function)];

    /// <summary>The blob and queue triggers.</summary>
    public static void AddTriggers(IServiceCollection services, InProcessHostOptions options)
    {
        // StartFrameUploaded: blob trigger (Event Grid source) on start-frames. Azurite raises no events: the watcher does.
        services.AddSingleton<IHostedService>(sp =>
        {
            var uploads = sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(StartFrameOptions.UploadsContainer);
            var poison = sp.GetRequiredService<QueueServiceClient>().GetQueueClient(BlobTriggerPoisonMessage.PoisonQueue);
            var trigger = new InProcessBlobTrigger(sp, uploads, poison, options.Host.Blobs, options.Report);
            return new BlobTriggerService(new BlobChangeWatcher(uploads, options.Seen, options.WatchInterval), trigger, options.Host.Blobs.MaxDegreeOfParallelism);
        });

        // SubmissionQueued: queue trigger on video-submissions.
        services.AddQueueTrigger(StartFrameOptions.SubmissionsQueue, options.Host.Queues, options.Report, (sp, message, cancellationToken) =>
            sp.GetRequiredService<ISubmissionQueueProcessor>().ProcessAsync(message.Body.ToString(), message.MessageId, message.DequeueCount, cancellationToken));

        // UploadRecheckDue: queue trigger on upload-rechecks (an upload met a live claim; its lease has ended now).
        services.AddQueueTrigger(StartFrameOptions.RechecksQueue, options.Host.Queues, options.Report, (sp, message, cancellationToken) =>
            sp.GetRequiredService<IRecheckQueueProcessor>().ProcessAsync(message.Body.ToString(), cancellationToken));

        // VideoTrackingDue: queue trigger on video-tracking (each delivery polls one task once); dev says what each came to.
        services.AddQueueTrigger(StartFrameOptions.TrackingQueue, options.Host.Queues, options.Report, async (sp, message, cancellationToken) =>
            TrackingActivity.Of(await sp.GetRequiredService<IVideoTracker>().TrackAsync(message.Body.ToString(), message.DequeueCount, cancellationToken).ConfigureAwait(false)));

        // OwedRecordsDue: timer, every 5 minutes (records a queue outage left owed and no redelivery wrote).
        services.AddSingleton<IHostedService>(sp => new OwedSweepService(sp, sp.GetRequiredService<TimeProvider>(), options.Report));
    }

    /// <summary>The HTTP functions, at the routes and with the answers of the function app (no function key locally, as under Core Tools).</summary>
    public static void MapHttp(IEndpointRouteBuilder app, string routePrefix)
    {
        // SubmitVideo: POST /api/videos.
        app.MapPost($"/{routePrefix}/videos", (HttpRequest request, IVideoApi api, CancellationToken cancellationToken) =>
            api.SubmitAsync(request, cancellationToken));

        // GetVideo: GET /api/videos/{taskId}.
        app.MapGet($"/{routePrefix}/videos/{{taskId}}", (string taskId, IVideoApi api, CancellationToken cancellationToken) =>
            api.GetAsync(taskId, cancellationToken));
    }
}
