using Azure.Storage.Blobs;
using StartFrame.Core.Storage;
using StartFrame.Core.Submitting;
using StartFrame.Core.WaysIn;

namespace StartFrame.Core.Redrives;

/// <summary>
/// Runs the BlobCreated events Event Grid dead-lettered through the pipeline exactly as the blob trigger would have
/// (<see cref="IBlobUploads.ProcessBlobAsync"/>; the ledger keeps a second run idempotent). Only events of the
/// uploads container are processed. A dead-letter blob is never deleted: when every event in it is handled, the time
/// is recorded in its metadata (<see cref="DeadLetterReader.RedrivenAtMetadata"/>).
/// </summary>
public sealed class DeadLetterRedriver(BlobServiceClient blobs, IBlobUploads processor, TimeProvider time)
{
    /// <summary>The reader of a dead-letter container of this account.</summary>
    public DeadLetterReader Reader(string deadLetterContainer) => new(blobs.GetBlobContainerClient(deadLetterContainer));

    /// <summary>Redrives (or, with <paramref name="dryRun"/>, describes) every event of one dead-letter blob, in order.</summary>
    /// <returns>One result per event (one for an unreadable blob), and whether the blob was marked handled.</returns>
    public async Task<(IReadOnlyList<DeadLetterRedriveResult> Results, bool Marked)> RedriveAsync(
        DeadLetterReader reader, DeadLetterBlob deadLetters, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(deadLetters);
        if (deadLetters.Problem is not null)
        {
            return ([new DeadLetterRedriveResult { DeadLetterBlob = deadLetters.Name, Status = DeadLetterStatus.Unreadable, Detail = deadLetters.Problem }], false);
        }

        var results = new List<DeadLetterRedriveResult>();
        foreach (var deadLettered in deadLetters.Events)
        {
            try
            {
                results.Add(await RedriveAsync(deadLetters.Name, deadLettered, dryRun, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // One event that breaks the pipeline is reported and left unhandled; the events after it still run.
                results.Add(new DeadLetterRedriveResult
                {
                    DeadLetterBlob = deadLetters.Name,
                    Status = DeadLetterStatus.Failed,
                    EventId = deadLettered.Id,
                    Detail = $"processing it failed ({ex.GetType().Name}: {ex.Message.Split('\n')[0].Trim()}); the other events went on. Run the same command again once the cause is fixed.",
                });
            }
        }

        var handled = !dryRun && results.Count > 0 && !results.Any(r => r.IsFailure);
        if (handled)
        {
            await reader.MarkRedrivenAsync(deadLetters.Name, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        return (results, handled);
    }

    private async Task<DeadLetterRedriveResult> RedriveAsync(string deadLetterBlob, DeadLetteredEvent deadLettered, bool dryRun, CancellationToken cancellationToken)
    {
        var result = new DeadLetterRedriveResult
        {
            DeadLetterBlob = deadLetterBlob,
            Status = DeadLetterStatus.Skipped,
            EventId = deadLettered.Id,
            DeadLetterReason = deadLettered.DeadLetterReason,
            DeliveryAttempts = deadLettered.DeliveryAttempts,
            LastDeliveryOutcome = deadLettered.LastDeliveryOutcome,
            LastHttpStatusCode = deadLettered.LastHttpStatusCode,
            PublishTime = deadLettered.PublishTime,
        };
        if (deadLettered.EventType != DeadLetteredEvent.BlobCreatedType || !deadLettered.TryGetBlob(out var container, out var name))
        {
            return result with { Detail = $"not a {DeadLetteredEvent.BlobCreatedType} event of a blob (eventType '{deadLettered.EventType}', subject '{deadLettered.Subject}'): nothing to process" };
        }

        result = result with { Blob = $"{container}/{name}" };
        if (container == StartFrameOptions.UploadsContainer
            && !BlobNames.TryGetBlob(blobs.GetBlobContainerClient(container), name, out _, out var nameProblem))
        {
            // The same check as every other way in: "../secret/y.png" would address another container.
            return result with { Status = DeadLetterStatus.Refused, Detail = $"its blob name is refused: {nameProblem}" };
        }

        if (container != StartFrameOptions.UploadsContainer)
        {
            return result with
            {
                Status = DeadLetterStatus.Refused,
                Detail = $"it names container '{container}'; only {StartFrameOptions.UploadsContainer} is processed (check the subscription's subject filter)",
            };
        }

        if (dryRun)
        {
            return result with { Status = DeadLetterStatus.WouldProcess, Detail = "would be processed as the blob trigger does (dry run: nothing done)" };
        }

        var blob = blobs.GetBlobContainerClient(container).GetBlobClient(name);
        try
        {
            var outcome = await processor.ProcessBlobAsync(blob, deadLettered.Id, cancellationToken).ConfigureAwait(false);
            return result with { Status = outcome.Status, TaskId = outcome.TaskId, Detail = outcome.Detail, Outcome = outcome };
        }
        catch (TransientSubmissionException ex)
        {
            return result with { Status = DeadLetterStatus.TransientFailure, Detail = $"{ex.Message} Run the same command again later." };
        }
    }
}
