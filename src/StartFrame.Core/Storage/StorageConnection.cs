using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace StartFrame.Core.Storage;

/// <summary>
/// The storage account behind a Functions-style connection setting, in either of its two forms:
/// a connection string (Azurite, local development) or identity-based
/// (<c>{name}__blobServiceUri</c>, <c>__queueServiceUri</c>, <c>__tableServiceUri</c>, <c>__credential</c>, <c>__clientId</c>),
/// exactly as the Functions host reads the same setting for its triggers.
/// </summary>
public sealed class StorageConnection
{
    private readonly string? _connectionString;

    private StorageConnection(string? connectionString, Uri? blob, Uri? queue, Uri? table, TokenCredential? credential)
    {
        _connectionString = connectionString;
        BlobServiceUri = blob;
        QueueServiceUri = queue;
        TableServiceUri = table;
        Credential = credential;
    }

    /// <summary>The token credential of an identity-based connection; null for a connection string.</summary>
    public TokenCredential? Credential { get; }

    /// <summary>Blob endpoint of an identity-based connection.</summary>
    public Uri? BlobServiceUri { get; }

    /// <summary>Queue endpoint of an identity-based connection.</summary>
    public Uri? QueueServiceUri { get; }

    /// <summary>Table endpoint of an identity-based connection.</summary>
    public Uri? TableServiceUri { get; }

    /// <summary>Reads the connection named <paramref name="name"/> from configuration.</summary>
    /// <exception cref="MissingSettingException">The setting is missing or incomplete; the message says which forms are accepted.</exception>
    public static StorageConnection FromConfiguration(IConfiguration configuration, string name = StartFrameOptions.StorageConnectionName)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var connectionString = configuration[name];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new StorageConnection(connectionString, null, null, null, null);
        }

        var section = configuration.GetSection(name);
        var accountName = section["accountName"];
        var blob = ServiceUri(section["blobServiceUri"], accountName, "blob");
        var queue = ServiceUri(section["queueServiceUri"], accountName, "queue");
        var table = ServiceUri(section["tableServiceUri"], accountName, "table");
        if (blob is null || queue is null || table is null)
        {
            throw new MissingSettingException(
                name,
                $"Storage connection '{name}' is not set. Set '{name}' to a connection string (Azurite: UseDevelopmentStorage=true), " +
                $"or set '{name}__blobServiceUri', '{name}__queueServiceUri' and '{name}__tableServiceUri' (or '{name}__accountName') " +
                $"with '{name}__credential=managedidentity' and '{name}__clientId' for a managed identity.");
        }

        var clientId = section["clientId"];
        var credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId,
        });
        return new StorageConnection(null, blob, queue, table, credential);
    }

    /// <summary>Creates the blob service client (on the <see cref="StorageTransport"/>, unless its options name another).</summary>
    public BlobServiceClient CreateBlobServiceClient(BlobClientOptions options) =>
        _connectionString is not null ? new BlobServiceClient(_connectionString, StorageTransport.Apply(options)) : new BlobServiceClient(BlobServiceUri!, Credential!, StorageTransport.Apply(options));

    /// <summary>Creates the queue service client (on the <see cref="StorageTransport"/>, unless its options name another).</summary>
    public QueueServiceClient CreateQueueServiceClient(QueueClientOptions options) =>
        _connectionString is not null ? new QueueServiceClient(_connectionString, StorageTransport.Apply(options)) : new QueueServiceClient(QueueServiceUri!, Credential!, StorageTransport.Apply(options));

    /// <summary>Creates the table service client (on the <see cref="StorageTransport"/>, unless its options name another).</summary>
    public TableServiceClient CreateTableServiceClient(TableClientOptions options) =>
        _connectionString is not null ? new TableServiceClient(_connectionString, StorageTransport.Apply(options)) : new TableServiceClient(TableServiceUri!, Credential!, StorageTransport.Apply(options));

    private static Uri? ServiceUri(string? explicitUri, string? accountName, string service)
    {
        if (!string.IsNullOrWhiteSpace(explicitUri))
        {
            return new Uri(explicitUri, UriKind.Absolute);
        }

        return string.IsNullOrWhiteSpace(accountName) ? null : new Uri($"https://{accountName}.{service}.core.windows.net");
    }
}
