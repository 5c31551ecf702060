using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using StartFrame.Core;
using StartFrame.Core.Storage;

namespace StartFrame.Cli.Commands;

/// <summary>
/// The function app's settings read from the environment, for commands that need storage but not the whole core
/// (<c>upload</c>, <c>redrive --poison</c>): they work without a ModelStream key and create nothing they do not use.
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

    /// <summary>The queue service, with the Base64 message encoding the core and host.json use.</summary>
    public static QueueServiceClient Queues(StorageConnection storage)
        => storage.CreateQueueServiceClient(QueueMessages.ClientOptions());
}

/// <summary>Starts <see cref="CliHost"/> for every command that needs the core, turning a configuration or storage
/// problem into the one line <see cref="CliFailure"/> words.</summary>
internal static class CoreHost
{
    public static async Task<Microsoft.Extensions.Hosting.IHost?> TryStartAsync(TextWriter error, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        try
        {
            return await CliHost.StartAsync(overrides, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync(CliFailure.Describe(ex)).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Every failed option as <c>Section__Member: problem</c>, in one line.</summary>
    public static string Describe(OptionsValidationException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        var section = ex.OptionsType == typeof(ModelStream.Client.ModelStreamClientOptions) ? ModelStream.Client.ModelStreamClientOptions.SectionName : StartFrameOptions.SectionName;
        return $"Configuration: {string.Join("; ", ex.Failures.Select(f => Readable(section, f)))}. Set it in the environment as for the function app.";
    }

    /// <summary>"DataAnnotation validation failed for 'X' members: 'ApiKey' with the error: '…'." as "ModelStream__ApiKey: …".</summary>
    private static string Readable(string section, string failure)
    {
        var match = Regex.Match(failure, "members: '(?<member>[^']+)' with the error: '(?<error>.*)'\\.?$");
        if (!match.Success)
        {
            return failure.TrimEnd('.');
        }

        // A message that already names the setting (ModelStream__ApiKey) is used as it is.
        var setting = $"{section}__{match.Groups["member"].Value}";
        var error = match.Groups["error"].Value.TrimEnd('.');
        return error.StartsWith(setting, StringComparison.Ordinal) ? error : $"{setting}: {error}";
    }
}
