using System.Text.Json.Nodes;
using StartFrame.Core.Ledger;

namespace StartFrame.Core.OperatorViews;

/// <summary>
/// Says of a failure record whether a later redrive, upload or submission of the same image resolved it: the image is
/// looked up in the ledger (its uploads, one partition; the HTTP and queue submissions that named it, a query over the
/// idempotency-key entries), and a task submitted after the failure resolves it. Each image is looked up once per
/// resolver, however many failures name it.
/// </summary>
public sealed class FailureResolver(LedgerReader ledger)
{
    private readonly Dictionary<string, IReadOnlyList<LedgerView>> _seen = new(StringComparer.Ordinal);

    /// <summary>What the ledger says now of the image of <paramref name="record"/> (a failure record).</summary>
    public async Task<FailureResolution> ResolveAsync(JsonObject record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var source = record["source"] as JsonObject;
        var container = Text(source, "container");
        var blob = Text(source, "blob");
        var url = Text(source, "url");
        var failedAt = record["failedAt"] is JsonValue at && at.TryGetValue<DateTimeOffset>(out var when) ? when : (DateTimeOffset?)null;
        if ((container is null || blob is null) && url is null)
        {
            return new FailureResolution
            {
                Status = FailureResolution.Statuses.Unknown,
                Detail = "the record names no image (a message that could not be read): fix its sender; nothing to redrive",
            };
        }

        var name = container is not null && blob is not null ? $"{container}/{blob}" : url!;
        if (!_seen.TryGetValue(name, out var entries))
        {
            entries = container is not null && blob is not null
                ? await ledger.ForBlobAsync(container, blob, cancellationToken).ConfigureAwait(false)
                : await ledger.ForImageUrlAsync(url!, cancellationToken).ConfigureAwait(false);
            _seen[name] = entries;
        }

        var resolving = entries
            .Where(e => e.TaskId is not null && e.State is LedgerStates.Recorded or LedgerStates.Submitted && (failedAt is null || e.SubmittedAt > failedAt))
            .MaxBy(e => e.SubmittedAt);
        if (resolving is not null)
        {
            return new FailureResolution
            {
                Status = FailureResolution.Statuses.Resolved,
                TaskId = resolving.TaskId,
                LedgerState = resolving.State,
                At = resolving.SubmittedAt,
                Detail = $"submitted later as task {resolving.TaskId}",
            };
        }

        var latest = entries.MaxBy(e => e.UpdatedAt);
        return latest is null
            ? new FailureResolution
            {
                Status = FailureResolution.Statuses.Unknown,
                Detail = $"the ledger has no entry for {name}: it was refused before anything was claimed; fix it and submit or upload it again",
            }
            : new FailureResolution
            {
                Status = FailureResolution.Statuses.Unresolved,
                LedgerState = latest.State,
                Detail = Advice(latest, name, container is not null),
            };
    }

    private static string Advice(LedgerView latest, string name, bool isBlob) => latest.State switch
    {
        LedgerStates.Ambiguous => "ModelStream may have started it: check there first; `startframe redrive --force` only if it did not",
        LedgerStates.Failed when isBlob => $"still failed ({latest.LastError?.Code}): fix the cause, then upload the sidecar again or `startframe redrive {name}`",
        LedgerStates.Failed => $"still failed ({latest.LastError?.Code}): fix the cause and submit it again (a refusal that charged nothing keeps its idempotency key usable)",
        LedgerStates.Recorded or LedgerStates.Submitted => $"its task {latest.TaskId} was submitted before this failure; nothing newer",
        LedgerStates.Waiting => "its image waits for its sidecar: upload the sidecar",
        LedgerStates.Released => "its last try met an outage (nothing charged); the next delivery tries again",
        LedgerStates.Redrive => "an operator asked for another try; it runs with the next delivery",
        _ => $"its ledger entry is {latest.State}: a run is submitting it now",
    };

    private static string? Text(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}
