using System.Text.RegularExpressions;
using Azure;
using Microsoft.Extensions.Options;
using StartFrame.Core;

namespace StartFrame.Cli;

/// <summary>
/// Any failure a command did not answer itself, as the one line a person can act on (exit code 1): a missing or
/// invalid setting names the setting, unreachable or refusing storage names the connection setting, anything else
/// gives its type and first line. Never a stack trace.
/// </summary>
internal static partial class CliFailure
{
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var ex = exception is AggregateException { InnerException: { } inner } ? inner : exception;
        return ex switch
        {
            MissingSettingException missing => missing.Message,
            Commands.InvalidSettingException invalid => invalid.Message,
            LocalDev.PrerequisiteMissingException prerequisite => prerequisite.Message,
            InvalidOperationException when ConversionPattern().Match(ex.Message) is { Success: true } conversion => Unconvertible(conversion),
            OptionsValidationException invalid => Commands.CommandCore.Describe(invalid),
            RequestFailedException { Status: 0 } or HttpRequestException =>
                $"Storage is not reachable ({FirstLine(ex.InnerException?.Message ?? ex.Message)}): check {StartFrameOptions.StorageConnectionName} (for Azurite: is it running?).",
            RequestFailedException { Status: 401 or 403 } storage =>
                $"Storage refused the request ({storage.Status} {storage.ErrorCode}): check {StartFrameOptions.StorageConnectionName} and that the identity may use blobs, queues and tables.",
            RequestFailedException storage =>
                $"Storage answered {storage.Status} {storage.ErrorCode}: {FirstLine(storage.Message)}",
            OperationCanceledException => "Cancelled.",
            _ => $"startframe failed ({ex.GetType().Name}): {FirstLine(ex.Message)}",
        };
    }

    /// <summary>True for what a storage call throws when storage is unreachable or refuses (the SDK's and the transport's).</summary>
    public static bool IsStorage(Exception ex) => ex is RequestFailedException or AggregateException or HttpRequestException;

    /// <summary>The line a command prints when storage failed half-way: what failed, the setting to check, and <paramref name="then"/>
    /// (what was kept and what to do).</summary>
    public static string StorageFailed(string command, Exception ex, string then)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return $"{command}: storage failed ({FirstLine(ex.InnerException?.Message ?? ex.Message)}): check {StartFrameOptions.StorageConnectionName}; {then}";
    }

    /// <summary>The first line of an exception's message, trimmed: the SDK's messages go on for a dozen lines.</summary>
    public static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    // A setting whose value does not bind to its option ("StartFrame__PollFirstDelay=soon"), named as it is set.
    private static string Unconvertible(Match conversion)
    {
        var setting = conversion.Groups["key"].Value.Replace(":", "__", StringComparison.Ordinal);
        var expected = conversion.Groups["type"].Value switch
        {
            "System.TimeSpan" or "System.Nullable`1[System.TimeSpan]" => "a duration like 00:00:30 (hh:mm:ss, or d.hh:mm:ss)",
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Boolean" => "true or false",
            "System.Uri" => "an absolute URL",
            var type when type.Contains("StartFrame", StringComparison.Ordinal) || type.Contains("ModelStream", StringComparison.Ordinal)
                => "one of the values the configuration table lists",
            var type => $"a {type.Split('.')[^1]}",
        };
        var value = conversion.Groups["value"].Success ? $"'{conversion.Groups["value"].Value}' " : "";
        return $"{setting}: {value}is not {expected}; set it in the environment as for the function app (docs/configuration.md).";
    }

    [GeneratedRegex(@"^Failed to convert configuration value (?:'(?<value>[^']*)' )?at '(?<key>[^']+)' to type '(?<type>[^']+)'", RegexOptions.CultureInvariant)]
    private static partial Regex ConversionPattern();
}
