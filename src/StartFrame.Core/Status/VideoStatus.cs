using System.Text.Json.Nodes;
using StartFrame.Core.Ledger;
using StartFrame.Core.Records;

namespace StartFrame.Core.Status;

/// <summary>What the ledger knows of a task: the answer of <c>GET /api/videos/{taskId}</c> and <c>startframe status</c>.</summary>
public sealed record VideoStatus
{
    /// <summary>ModelStream's task id.</summary>
    public required string TaskId { get; init; }

    /// <summary>The ledger state (<c>recorded</c>, <c>submitted</c>, …).</summary>
    public required string State { get; init; }

    /// <summary><c>blob</c>, <c>http</c> or <c>queue</c>.</summary>
    public string? Origin { get; init; }

    /// <summary>The start frame.</summary>
    public RecordSource? Source { get; init; }

    /// <summary>The model.</summary>
    public string? Model { get; init; }

    /// <summary>The request as sent (SAS removed).</summary>
    public JsonObject? Parameters { get; init; }

    /// <summary>When ModelStream accepted it.</summary>
    public DateTimeOffset? SubmittedAt { get; init; }

    /// <summary>When the ledger entry was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the ledger entry last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The correlation id of the submission.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>How the task ended (<c>succeeded</c>, <c>failed</c>, <c>timed_out</c>), or null while it is tracked.</summary>
    public string? Completion { get; init; }

    /// <summary>When the completion record was written.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>The stored video, once it is in the <c>videos</c> container.</summary>
    public CompletionVideo? Video { get; init; }

    /// <summary>Why the task ended without a video.</summary>
    public CompletionError? Error { get; init; }

    /// <summary>Where ModelStream says the generation stands now, asked at read time (null once the task has ended, or
    /// when ModelStream could not be asked).</summary>
    public GenerationState? Generation { get; init; }

    /// <summary>The status view of a ledger entry that has a task id.</summary>
    public static VideoStatus From(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var record = RecordJson.ReadTaskRecord(entry.TaskRecordJson);
        return new VideoStatus
        {
            TaskId = entry.TaskId ?? "",
            State = entry.State,
            Origin = entry.Origin,
            Source = record?.Source ?? new RecordSource { Container = entry.Container, Blob = entry.Blob, Url = entry.ImageUrl },
            Model = entry.Model,
            Parameters = record?.Parameters,
            SubmittedAt = entry.SubmittedAt,
            CreatedAt = entry.CreatedAt,
            UpdatedAt = entry.UpdatedAt,
            CorrelationId = record?.CorrelationId ?? entry.CorrelationId,
            Completion = CompletionStatuses.IsTerminal(entry.TrackingState) ? entry.TrackingState : null,
            CompletedAt = entry.CompletedAt,
            Video = entry.StoredVideo,
            Error = entry.CompletionError,
        };
    }
}
