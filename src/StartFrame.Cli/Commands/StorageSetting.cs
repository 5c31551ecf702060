using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using StartFrame.Core;

namespace StartFrame.Cli.Commands;

/// <summary>
/// <c>AzureWebJobsStorage</c> checked before a command uses it: the storage SDK reads a connection string only when the
/// first client is made, and a malformed one then fails as <c>FormatException: Settings must be of the form "name=value"</c>,
/// naming neither the setting nor what it takes. The value is never printed: a connection string may hold an account key.
/// </summary>
internal static class StorageSetting
{
    private const string Name = StartFrameOptions.StorageConnectionName;

    private static readonly string AcceptedForms =
        $"set {Name} to a storage connection string (UseDevelopmentStorage=true for Azurite, or the account's connection " +
        "string as the portal's Access keys show it: DefaultEndpointsProtocol=https;AccountName=<name>;…), " +
        $"or leave it unset and set {Name}__accountName (or {Name}__blobServiceUri, __queueServiceUri and __tableServiceUri) for your own identity";

    /// <summary>The one line saying what is wrong with the storage setting of <paramref name="configuration"/>, or null
    /// (also when it is missing: <see cref="Core.Storage.StorageConnection"/> says that itself).</summary>
    public static string? Problem(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[Name] is { Length: > 0 } connectionString && !string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                // Each client parses the string itself and each takes the endpoint of its own service.
                _ = new BlobServiceClient(connectionString);
                _ = new QueueServiceClient(connectionString);
                _ = new TableServiceClient(connectionString);
                return null;
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
            {
                return $"{Name} is not a storage connection string ({CliFailure.FirstLine(ex.Message).TrimEnd('.')}): {AcceptedForms}.";
            }
        }

        foreach (var service in new[] { "blob", "queue", "table" })
        {
            var setting = $"{Name}__{service}ServiceUri";
            if (configuration.GetSection(Name)[$"{service}ServiceUri"] is { Length: > 0 } uri && !Uri.TryCreate(uri, UriKind.Absolute, out _))
            {
                return $"{setting}: '{uri}' is not an absolute URL; give the account's {service} endpoint, like https://<account>.{service}.core.windows.net/.";
            }
        }

        return null;
    }
}

/// <summary>A setting that is set but cannot be used; the message is the one line to print (exit 1).</summary>
internal sealed class InvalidSettingException(string message) : InvalidOperationException(message)
{
    public InvalidSettingException()
        : this("A setting cannot be used.")
    {
    }

    public InvalidSettingException(string message, Exception innerException)
        : this(message + " " + innerException?.Message)
    {
    }
}
