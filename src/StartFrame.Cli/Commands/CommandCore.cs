using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using StartFrame.Core;

namespace StartFrame.Cli.Commands;

/// <summary>Starts <see cref="CoreHostFactory"/> for every command that needs the core, turning a configuration or storage
/// problem into the one line <see cref="CliFailure"/> words.</summary>
internal static class CommandCore
{
    /// <summary>The core for a command that calls ModelStream (submits, polls); null after one line on <paramref name="error"/>.</summary>
    public static Task<Microsoft.Extensions.Hosting.IHost?> TryStartAsync(TextWriter error, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? overrides = null)
        => TryStartAsync(error, callsModelStream: true, overrides, cancellationToken);

    /// <summary>The core for a command that only reads and writes storage: no <c>ModelStream__ApiKey</c> needed.</summary>
    public static Task<Microsoft.Extensions.Hosting.IHost?> TryStartForStorageAsync(TextWriter error, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? overrides = null)
        => TryStartAsync(error, callsModelStream: false, overrides, cancellationToken);

    private static async Task<Microsoft.Extensions.Hosting.IHost?> TryStartAsync(TextWriter error, bool callsModelStream, IReadOnlyDictionary<string, string?>? overrides, CancellationToken cancellationToken)
    {
        try
        {
            return await CoreHostFactory.StartAsync(overrides, callsModelStream, cancellationToken).ConfigureAwait(false);
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
