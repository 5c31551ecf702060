using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using StartFrame.Core.Ledger;
using StartFrame.Core.Records;
using StartFrame.Core.Uploads;
using StartFrame.Core.WaysIn;

namespace StartFrame.Core.Redrives;

/// <summary>
/// The operator's way out: submits again an upload whose ledger entry says it failed, or (with force, because it
/// may charge twice) whose outcome was ambiguous, or (with again, a deliberate new take that is charged again) that
/// was recorded. It says what it will do before it does it.
/// </summary>
public sealed class BlobRedriver(SubmissionLedger ledger, IBlobUploads processor)
{
    /// <summary>What a redrive would do, without doing it.</summary>
    /// <param name="image">The image.</param>
    /// <param name="force">Also re-submit an ambiguous submission, or take over a live claim.</param>
    /// <param name="again">Also submit a recorded upload again, as a new take.</param>
    /// <param name="cancellationToken">Cancels the look-ups.</param>
    public async Task<RedrivePlan> PlanAsync(BlobClient image, bool force, bool again, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);

        // The same two reads as the pipeline, so the plan looks at the very row the pipeline would claim.
        var head = await UploadReader.ReadImageHeadAsync(image, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return new RedrivePlan(false, null, $"{image.BlobContainerName}/{image.Name} does not exist.") { Found = false };
        }

        var sidecar = await UploadReader.ReadSidecarAsync(image.GetParentBlobContainerClient().GetBlobClient(UploadNames.SidecarOf(image.Name)), cancellationToken).ConfigureAwait(false);
        var entry = await ledger.GetAsync(UploadReader.KeyOf(image, head, sidecar), cancellationToken).ConfigureAwait(false);
        return entry?.State switch
        {
            null => new RedrivePlan(false, null, "The ledger has no entry for this image and sidecar as they are now: use `startframe process` to process them."),
            LedgerStates.Failed => new RedrivePlan(true, entry, $"It failed at {entry.FailureStage} ({entry.LastErrorCode}): it will be validated and submitted again."),
            LedgerStates.Released => new RedrivePlan(true, entry, "Its last try hit a transient failure: it will be submitted again."),
            LedgerStates.Ambiguous when force => new RedrivePlan(true, entry, "Its outcome was ambiguous: it will be submitted AGAIN (--force). If ModelStream did start the first one, this charges twice."),
            LedgerStates.Ambiguous => new RedrivePlan(false, entry, "Its outcome was ambiguous: ModelStream may already have started it. Check ModelStream first; add --force to submit again anyway."),
            LedgerStates.Recorded when again => new RedrivePlan(true, entry, $"It was submitted as task {entry.TaskId}: it will be submitted AGAIN as a new take (--again), which is charged again; the first task stays in the ledger."),
            LedgerStates.Recorded or LedgerStates.Submitted => new RedrivePlan(false, entry, $"Already submitted as task {entry.TaskId}: nothing to redrive (add --again for a deliberate new take, which is charged again)."),
            LedgerStates.Waiting => new RedrivePlan(false, entry, "It is waiting for its sidecar: upload the sidecar (or set StartFrame__SidecarRequired=false)."),
            LedgerStates.Claimed when force => new RedrivePlan(true, entry, "A run holds its claim; with --force it is taken over and submitted again (may charge twice)."),
            _ => new RedrivePlan(false, entry, $"It is {entry.State}: another run is on it."),
        };
    }

    /// <summary>Carries out a plan that <see cref="RedrivePlan.WillRun"/>.</summary>
    public async Task<ProcessingOutcome> RunAsync(BlobClient image, RedrivePlan plan, string? correlationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (!plan.WillRun || plan.Entry is null)
        {
            throw new InvalidOperationException(plan.Explanation);
        }

        correlationId = CorrelationIds.OrNew(correlationId);
        if (plan.Entry.State == LedgerStates.Recorded)
        {
            // A new take replaces the row's task; the first one keeps a row of its own, so its id is still found.
            await ledger.ArchiveTakeAsync(plan.Entry, cancellationToken).ConfigureAwait(false);
        }

        await ledger.MarkForRedriveAsync(plan.Entry, correlationId, cancellationToken).ConfigureAwait(false);
        return await processor.ProcessBlobAsync(image, correlationId, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What a redrive will do, in words an operator reads before it happens.</summary>
public sealed record RedrivePlan(bool WillRun, LedgerEntry? Entry, string Explanation)
{
    /// <summary>False when the image does not exist.</summary>
    public bool Found { get; init; } = true;
}
