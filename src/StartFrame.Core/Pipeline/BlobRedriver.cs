using Azure;
using Azure.Storage.Blobs;
using StartFrame.Core.Ledger;

namespace StartFrame.Core.Pipeline;

/// <summary>
/// The operator's way out: submits again a blob whose ledger entry says it failed, or (with force, because it
/// may charge twice) whose outcome was ambiguous. It says what it will do before it does it.
/// </summary>
public sealed class BlobRedriver(SubmissionLedger ledger, IStartFrameProcessor processor)
{
    /// <summary>What a redrive would do, without doing it.</summary>
    public async Task<RedrivePlan> PlanAsync(BlobClient image, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ETag etag;
        try
        {
            etag = (await image.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ETag;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new RedrivePlan(false, null, $"{image.BlobContainerName}/{image.Name} does not exist.");
        }

        var entry = await ledger.GetAsync(LedgerKey.ForBlob(image.BlobContainerName, image.Name, etag.ToString()), cancellationToken).ConfigureAwait(false);
        return entry?.State switch
        {
            null => new RedrivePlan(false, null, "The ledger has no entry for this blob's current content: use `startframe process` to process it."),
            LedgerStates.Failed => new RedrivePlan(true, entry, $"It failed at {entry.FailureStage} ({entry.LastErrorCode}): it will be validated and submitted again."),
            LedgerStates.Released => new RedrivePlan(true, entry, "Its last try hit a transient failure: it will be submitted again."),
            LedgerStates.Ambiguous when force => new RedrivePlan(true, entry, "Its outcome was ambiguous: it will be submitted AGAIN (--force). If ModelStream did start the first one, this charges twice."),
            LedgerStates.Ambiguous => new RedrivePlan(false, entry, "Its outcome was ambiguous: ModelStream may already have started it. Check ModelStream first; add --force to submit again anyway."),
            LedgerStates.Recorded or LedgerStates.Submitted => new RedrivePlan(false, entry, $"Already submitted as task {entry.TaskId}: nothing to redrive."),
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

        correlationId ??= Guid.NewGuid().ToString("N");
        await ledger.MarkForRedriveAsync(plan.Entry, correlationId, cancellationToken).ConfigureAwait(false);
        return await processor.ProcessBlobAsync(image, correlationId, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>What a redrive will do, in words an operator reads before it happens.</summary>
public sealed record RedrivePlan(bool WillRun, LedgerEntry? Entry, string Explanation);
