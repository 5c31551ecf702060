using ModelStream.Client;
using StartFrame.Core.Ledger;

namespace StartFrame.Core.Status;

/// <summary>
/// The status of a task as <c>GET /api/videos/{taskId}</c> and <c>startframe status</c> show it: what the ledger knows
/// (submission, stored video or why there is none) and, while the task is not finished, where ModelStream says it
/// stands now. Asking ModelStream at read time costs a poll per look, not a storage write per poll.
/// </summary>
public sealed class VideoStatusReader(SubmissionLedger ledger, ModelStreamClient modelStream, TimeProvider timeProvider)
{
    /// <summary>The status of <paramref name="taskId"/>, or null when the ledger has no such task. When ModelStream
    /// cannot be asked, <see cref="VideoStatusRead.GenerationProblem"/> says why and the ledger's view still comes back.</summary>
    public async Task<VideoStatusRead?> ReadAsync(string taskId, CancellationToken cancellationToken)
    {
        var entry = string.IsNullOrWhiteSpace(taskId) ? null : await ledger.FindByTaskIdAsync(taskId, cancellationToken).ConfigureAwait(false);
        if (entry is null)
        {
            return null;
        }

        var view = VideoStatus.From(entry);
        if (view.Completion is not null)
        {
            return new VideoStatusRead(view, null);
        }

        try
        {
            var current = await modelStream.GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
            var generation = new GenerationState(current.Status, current.Progress, string.IsNullOrWhiteSpace(current.FailReason) ? null : current.FailReason, timeProvider.GetUtcNow());
            return new VideoStatusRead(view with { Generation = generation }, null);
        }
        catch (ModelStreamException ex)
        {
            return new VideoStatusRead(view, ex.Message.Split('\n', 2)[0].Trim());
        }
        catch (ArgumentException ex)
        {
            // The client refuses an id that is not one plain path segment before sending anything: the ledger's view stands.
            return new VideoStatusRead(view, ex.Message.Split('\n', 2)[0].Trim());
        }
    }
}

/// <summary>A task's status, and why ModelStream's part is missing when it is.</summary>
/// <param name="Status">The view.</param>
/// <param name="GenerationProblem">Why ModelStream could not be asked, or null.</param>
public sealed record VideoStatusRead(VideoStatus Status, string? GenerationProblem);
