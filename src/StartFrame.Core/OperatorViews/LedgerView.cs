using StartFrame.Core.Ledger;


namespace StartFrame.Core.OperatorViews;

/// <summary>
/// One ledger entry as an operator reads it: the readable names the hashed keys stand for (the image blob or URL, the
/// idempotency key), where the submission and its task stand, and the last error. Never a record copy or a secret:
/// the entry's texts were redacted when they were written.
/// </summary>
public sealed record LedgerView
{
    /// <summary>The entry's partition key (<c>b:&lt;sha-256&gt;</c> for an upload, <c>k:&lt;sha-256&gt;</c> for an idempotency key).</summary>
    public required string PartitionKey { get; init; }

    /// <summary>The entry's row key (the upload's content identity, or <c>-</c>).</summary>
    public required string RowKey { get; init; }

    /// <summary>One of <see cref="LedgerStates"/>.</summary>
    public required string State { get; init; }

    /// <summary><c>blob</c>, <c>http</c> or <c>queue</c>.</summary>
    public string? Origin { get; init; }

    /// <summary>The image's container, when it is a blob.</summary>
    public string? Container { get; init; }

    /// <summary>The image's blob name.</summary>
    public string? Blob { get; init; }

    /// <summary>The image URL (without query), when given by URL.</summary>
    public string? ImageUrl { get; init; }

    /// <summary>The caller's idempotency key, as given.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>True for the copy of an earlier take kept when the entry was taken again (<c>redrive --again</c>).</summary>
    public bool ArchivedTake { get; init; }

    /// <summary>The model.</summary>
    public string? Model { get; init; }

    /// <summary>ModelStream's task id, once known.</summary>
    public string? TaskId { get; init; }

    /// <summary>Where following the task stands: null while it is tracked, then <c>finishing</c>, <c>succeeded</c>, <c>failed</c> or <c>timed_out</c>.</summary>
    public string? TrackingState { get; init; }

    /// <summary>The stored video, once it succeeded: <c>videos/&lt;path&gt;/&lt;taskId&gt;.mp4</c>.</summary>
    public string? Video { get; init; }

    /// <summary>The video's length in bytes.</summary>
    public long? VideoLength { get; init; }

    /// <summary>The last error of the submission (state failed or ambiguous), or why the task ended without a video.</summary>
    public LedgerViewError? LastError { get; init; }

    /// <summary>Deliveries that ended in a transient failure.</summary>
    public int Attempts { get; init; }

    /// <summary>When the entry was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When ModelStream accepted it.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>When the completion record was written.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When the entry last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The correlation id of the run that last changed it.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>For an upload waiting for a provider slot (admission control): how many uploads stood ahead of it at its
    /// last look; null when it is not waiting for one.</summary>
    public int? SlotAhead { get; init; }

    /// <summary>The image as people name it: <c>start-frames/a/cat.png</c>, or the URL.</summary>
    public string? Source => Container is not null && Blob is not null ? $"{Container}/{Blob}" : ImageUrl;

    /// <summary>The view of <paramref name="entry"/>.</summary>
    public static LedgerView Of(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var error = entry.CompletionErrorCode is { } completion
            ? new LedgerViewError(completion, entry.CompletionErrorMessage ?? "")
            : entry.LastErrorCode is { } code && entry.State is LedgerStates.Failed or LedgerStates.Ambiguous or LedgerStates.Released
                ? new LedgerViewError(code, entry.LastErrorMessage ?? "")
                : null;
        return new LedgerView
        {
            PartitionKey = entry.PartitionKey,
            RowKey = entry.RowKey,
            State = entry.State,
            Origin = entry.Origin,
            Container = entry.Container,
            Blob = entry.Blob,
            ImageUrl = entry.ImageUrl,
            IdempotencyKey = entry.IdempotencyKey,
            ArchivedTake = LedgerKey.IsArchivedTake(entry.RowKey),
            Model = entry.Model,
            TaskId = entry.TaskId,
            TrackingState = string.IsNullOrEmpty(entry.TrackingState) ? null : entry.TrackingState,
            Video = entry.VideoContainer is not null && entry.VideoBlob is not null ? $"{entry.VideoContainer}/{entry.VideoBlob}" : null,
            VideoLength = entry.VideoLength,
            LastError = error,
            SlotAhead = entry.State == LedgerStates.Released && entry.LastErrorCode == Admission.SlotWait.Code ? Admission.SlotWait.AheadIn(entry.LastErrorMessage) : null,
            Attempts = entry.Attempts,
            CreatedAt = entry.CreatedAt,
            SubmittedAt = entry.SubmittedAt,
            CompletedAt = entry.CompletedAt,
            UpdatedAt = entry.UpdatedAt,
            CorrelationId = entry.CorrelationId,
        };
    }
}

/// <summary>An error kept on a ledger entry: a stable code and its message.</summary>
public sealed record LedgerViewError(string Code, string Message);
