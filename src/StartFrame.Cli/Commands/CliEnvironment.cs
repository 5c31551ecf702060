using System.Diagnostics.CodeAnalysis;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using StartFrame.Core;
using StartFrame.Core.Storage;

namespace StartFrame.Cli.Commands;

/// <summary>
/// The function app's settings read from the environment, for commands that need storage but not the whole core
/// (<c>upload</c>, <c>redrive --poison</c>, <c>submit --queue</c>, the operator views): they work without a ModelStream key
/// and create nothing they do not use.
/// </summary>
internal sealed class CliEnvironment
{
    private readonly IConfiguration _configuration;

    private CliEnvironment(IConfiguration configuration) => _configuration = configuration;

    /// <summary>Environment variables as configuration (<c>StartFrame__CatalogPath</c> is <c>StartFrame:CatalogPath</c>).</summary>
    public static CliEnvironment Read() => new(new ConfigurationBuilder().AddEnvironmentVariables().Build());

    /// <summary>A variable by its environment name (<c>StartFrame__StrictModels</c>), as <see cref="CliCatalog"/> reads them.</summary>
    public string? Variable(string name) => _configuration[name.Replace("__", ":", StringComparison.Ordinal)];

    /// <summary>The storage connection <c>AzureWebJobsStorage</c> names; on failure writes one line saying what to set.</summary>
    public bool TryGetStorage(TextWriter error, [NotNullWhen(true)] out StorageConnection? storage)
    {
        try
        {
            if (StorageSetting.Problem(_configuration) is { } problem)
            {
                throw new InvalidSettingException(problem);
            }

            storage = StorageConnection.FromConfiguration(_configuration);
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or UriFormatException)
        {
            error.WriteLine(ex.Message);
            storage = null;
            return false;
        }
    }

    /// <summary>The blob service of the configured account.</summary>
    public static BlobServiceClient Blobs(StorageConnection storage) => storage.CreateBlobServiceClient(new BlobClientOptions());

    /// <summary>The table service (the ledger).</summary>
    public static TableServiceClient Tables(StorageConnection storage) => storage.CreateTableServiceClient(new TableClientOptions());

    /// <summary>The queue service without a message encoding: messages read exactly as stored (peeks that must survive a foreign message).</summary>
    public static QueueServiceClient RawQueues(StorageConnection storage) => storage.CreateQueueServiceClient(new QueueClientOptions());

    /// <summary>The queue service, with the Base64 message encoding the core and host.json use.</summary>
    public static QueueServiceClient Queues(StorageConnection storage)
        => storage.CreateQueueServiceClient(QueueMessages.ClientOptions());
}
