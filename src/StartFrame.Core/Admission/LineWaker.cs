using Azure;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;

namespace StartFrame.Core.Admission;

/// <summary>
/// Wakes the front of the <see cref="WaitingLine"/> when a provider slot comes free, so the slot does not stand idle
/// until someone's timed look: the pending re-check of each of the first live uploads (as many as slots came free) is
/// made visible now, through the <see cref="PendingLook"/> its upload kept on its row. An update of that message, not a
/// new one: no message multiplies and nothing looks twice (and the ledger's claim keeps a POST to one whatever looks).
/// <para>
/// Best effort, and it never throws: a receipt that no longer holds (the upload is looking right now, another give-back
/// woke it first, or it left) is passed over for the next upload in line, and an upload nobody wakes still looks at its
/// own time (<see cref="ProviderSlots.NextLook"/>), which stays the safety net for a lost wake or a dead instance.
/// </para>
/// </summary>
public sealed class LineWaker(QueueServiceClient queues, WaitingLine line, ILogger<LineWaker> logger)
{
    /// <summary>How many receipts that no longer hold one wake passes over before it leaves the rest to their timed looks.</summary>
    private const int MostPassedOver = 8;

    private readonly QueueClient _rechecks = queues.GetQueueClient(StartFrameOptions.RechecksQueue);

    /// <summary>The most a wake may take (real time): it runs inside a tracking delivery, before the video is copied,
    /// and a storage that answers slowly must not hold the copy up; what it did not wake looks at its own time.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>Makes the re-checks of the first <paramref name="slots"/> live uploads in line visible now; returns how
    /// many it woke. Never throws: a wake cut short by its <see cref="Timeout"/>, the delivery's cancellation or storage
    /// is logged and left to the timed looks.</summary>
    public async Task<int> WakeAsync(int slots, CancellationToken cancellationToken)
    {
        if (slots <= 0)
        {
            return 0;
        }

        var woken = 0;
        var passed = 0;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        cancellationToken = bounded.Token;
        try
        {
            await foreach (var (place, look) in line.FrontAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await TryWakeAsync(place, look, cancellationToken).ConfigureAwait(false))
                {
                    woken++;
                }
                else
                {
                    passed++;
                }

                if (woken >= slots || passed >= MostPassedOver)
                {
                    break;
                }
            }
        }
#pragma warning disable CA1031 // Waking is a gain, never a reason for the tracking delivery to fail: logged, dropped.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            AdmissionLog.LineNotWoken(logger, (ex as RequestFailedException)?.Status ?? 0, ex);
        }

        return woken;
    }

    private async Task<bool> TryWakeAsync(string place, PendingLook look, CancellationToken cancellationToken)
    {
        try
        {
            await _rechecks.UpdateMessageAsync(look.MessageId, look.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: cancellationToken).ConfigureAwait(false);
            AdmissionLog.Woken(logger, place);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 400 or 404)
        {
            // 404: the message is gone (its upload looked and left); 400: its receipt changed (it is being looked at, or
            // another give-back woke it). Either way it needs no wake from here.
            AdmissionLog.WakeReceiptStale(logger, place, ex.Status);
            return false;
        }
    }
}
