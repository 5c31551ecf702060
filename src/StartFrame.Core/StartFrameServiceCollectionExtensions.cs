using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ModelStream.Client;
using StartFrame.Core.Admission;
using StartFrame.Core.Catalog;
using StartFrame.Core.Ledger;
using StartFrame.Core.Polling;
using StartFrame.Core.Records;
using StartFrame.Core.Redaction;
using StartFrame.Core.Redrives;
using StartFrame.Core.Status;
using StartFrame.Core.Storage;
using StartFrame.Core.Submitting;
using StartFrame.Core.Telemetry;
using StartFrame.Core.Tracking;
using StartFrame.Core.Uploads;
using StartFrame.Core.WaysIn;

namespace StartFrame.Core;

/// <summary>Registers the whole core: options (validated on start), Azure clients, the ModelStream client, the pipeline.</summary>
public static class StartFrameServiceCollectionExtensions
{
    /// <summary>Adds everything the function app and the CLI need, read from <paramref name="configuration"/>.</summary>
    public static IServiceCollection AddStartFrame(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StartFrameOptions>()
            .Bind(configuration.GetSection(StartFrameOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // The same setting the Functions host reads for its triggers: a connection string (Azurite) or identity-based.
        var storage = StorageConnection.FromConfiguration(configuration);
        services.AddAzureClients(clients =>
        {
            clients.AddClient<BlobServiceClient, BlobClientOptions>(options => storage.CreateBlobServiceClient(options));
            clients.AddClient<QueueServiceClient, QueueClientOptions>(options =>
            {
                // Base64, the encoding a default Functions queue trigger expects (host.json messageEncoding).
                options.MessageEncoding = QueueMessages.Encoding;
                return storage.CreateQueueServiceClient(options);
            });
            clients.AddClient<TableServiceClient, TableClientOptions>(options => storage.CreateTableServiceClient(options));
        });

        services.AddModelStreamClient(configuration);
        // From the section the ModelStream options bind, read without their validation: every logger needs the redactor,
        // and a missing key must still be reported by ValidateOnStart in one line, not by the first logger created.
        services.AddSingleton(_ => Redactor.FromConfiguration(configuration));
        services.AddRedactedLogging();
        services.AddSingleton<StageSpans>();
        services.AddSingleton<ImageUrlIssuer>();
        services.AddSingleton<RecordWriter>();
        services.AddSingleton<LedgerTable>();
        services.AddSingleton<SubmissionLedger>();
        services.AddSingleton<OwedRecordIndex>();
        services.AddTransient<OwedRecordSweeper>();
        services.AddTransient<IOwedRecordSweeper>(sp => sp.GetRequiredService<OwedRecordSweeper>());
        services.AddSingleton(sp => ModelCatalog.Load(sp.GetRequiredService<IOptions<StartFrameOptions>>().Value.CatalogPath));
        services.AddSingleton<UploadValidator>();
        services.AddSingleton<LearnedLimit>();
        services.AddSingleton<ProviderSlots>();
        services.AddSingleton<WaitingLine>();
        services.AddSingleton<LineWaker>();
        services.AddTransient<ClaimedSubmitter>(); // transient: it holds the typed HttpClient
        services.AddTransient<ClaimAndSubmit>();
        services.AddTransient<BlobUploads>();
        services.AddTransient<IBlobUploads>(sp => sp.GetRequiredService<BlobUploads>());
        services.AddTransient<BlobRedriver>();
        services.AddTransient<JsonSubmissions>();
        services.AddTransient<IVideoApi, VideoApi>();
        services.AddTransient<ISubmissionQueueProcessor, SubmissionQueueProcessor>();
        services.AddSingleton<RecheckScheduler>();
        services.AddTransient<IRecheckQueueProcessor, RecheckQueueProcessor>();
        AddTracking(services);
        services.AddSingleton<StorageProvisioner>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageProvisioner>());
        return services;
    }

    /// <summary>Following a task to its end: due → poll → copy → record.</summary>
    private static void AddTracking(IServiceCollection services)
    {
        services.AddSingleton(sp => new PollSchedule(sp.GetRequiredService<IOptions<StartFrameOptions>>().Value));
        services.AddSingleton<GenerationTimes>();
        services.AddSingleton<FirstPoll>();
        services.AddSingleton<TrackingQueueClient>();
        services.AddSingleton<TrackingLedger>();
        services.AddSingleton<CompletionWriter>();

        // The result URL's query is a signature: no logging handler may see it. Redirects (a CDN) are followed by the
        // copier, hop by hop, and connections go only where the policy allows.
        services.AddSingleton<ResultUrlPolicy>();
        services.AddHttpClient(VideoCopier.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<ResultUrlPolicy>().CreateHandler())
            .RemoveAllLoggers();
        services.AddSingleton<VideoCopier>();
        services.AddTransient<TaskFinisher>();
        services.AddTransient<VideoTracker>();
        services.AddTransient<IVideoTracker>(sp => sp.GetRequiredService<VideoTracker>());
        services.AddTransient<VideoStatusReader>();
        services.AddTransient<VideoStatusFollower>();
        services.AddTransient<VideoDownloader>();
    }
}
