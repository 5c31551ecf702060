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

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
