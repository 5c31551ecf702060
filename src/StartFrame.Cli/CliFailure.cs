using Azure;
using Microsoft.Extensions.Options;
using StartFrame.Core;

namespace StartFrame.Cli;

/// <summary>
/// Any failure a command did not answer itself, as the one line a person can act on (exit code 1): a missing or
/// invalid setting names the setting, unreachable or refusing storage names the connection setting, anything else
/// gives its type and first line. Never a stack trace.
/// </summary>
internal static class CliFailure
{
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var ex = exception is AggregateException { InnerException: { } inner } ? inner : exception;
        return ex switch
        {
            MissingSettingException missing => missing.Message,
            OptionsValidationException invalid => Commands.CoreHost.Describe(invalid),
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
}
