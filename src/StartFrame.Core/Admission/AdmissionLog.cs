using Microsoft.Extensions.Logging;

namespace StartFrame.Core.Admission;

/// <summary>Log lines of admission control, source-generated with stable event ids.</summary>
internal static partial class AdmissionLog
{
    [LoggerMessage(1400, LogLevel.Warning, "Provider slot {Slot} could not be given its task (status {Status}); its lease frees it")]
    public static partial void SlotNotBound(ILogger logger, string slot, int status);

    [LoggerMessage(1401, LogLevel.Warning, "Provider slot {Slot} could not be given back (status {Status}); its lease frees it")]
    public static partial void SlotNotGivenBack(ILogger logger, string slot, int status);

    [LoggerMessage(1402, LogLevel.Warning, "Could not leave the waiting line at {Place} (status {Status}); the place goes stale")]
    public static partial void LineNotLeft(ILogger logger, string place, int status);

    [LoggerMessage(1403, LogLevel.Information, "Learned ModelStream limit is now {Limit:0.##} unfinished tasks")]
    public static partial void LimitLearned(ILogger logger, double limit);

    [LoggerMessage(1404, LogLevel.Warning, "Could not save the learned ModelStream limit (status {Status}); it stays where it was")]
    public static partial void LimitNotSaved(ILogger logger, int status);

    [LoggerMessage(1405, LogLevel.Debug, "Woke the upload waiting at {Place}: its re-check is visible now")]
    public static partial void Woken(ILogger logger, string place);

    [LoggerMessage(1406, LogLevel.Debug, "The re-check of the upload waiting at {Place} could not be woken (status {Status}); passed over")]
    public static partial void WakeReceiptStale(ILogger logger, string place, int status);

    [LoggerMessage(1407, LogLevel.Warning, "Could not wake the waiting line (status {Status}); its uploads look again at their own time")]
    public static partial void LineNotWoken(ILogger logger, int status, Exception exception);

    [LoggerMessage(1408, LogLevel.Warning, "Could not stand the upload at {Place} in the waiting line (status {Status}); it looks again at its own time")]
    public static partial void LineNotStood(ILogger logger, string place, int status);
}
