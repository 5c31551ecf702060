using System.Text.Json.Serialization;
using StartFrame.Core.Records;

namespace StartFrame.Core.WaysIn;

/// <summary>What processing one blob or submission came to: one JSON line per blob in <c>startframe process</c>.</summary>
public sealed record ProcessingOutcome
{
    /// <summary>One of <see cref="OutcomeStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>The blob (<c>container/name</c>) or source the outcome is about.</summary>
    public required string Subject { get; init; }

    /// <summary>ModelStream's task id, when there is one.</summary>
    public string? TaskId { get; init; }

    /// <summary>The task record written (or already written), when there is one.</summary>
    public TaskRecord? Record { get; init; }

    /// <summary>Why it was refused or failed.</summary>
    public IReadOnlyList<RecordError>? Errors { get; init; }

    /// <summary>A sentence for people: what happened and what to do next.</summary>
    public string? Detail { get; init; }

    /// <summary>The run's correlation id.</summary>
    public required string CorrelationId { get; init; }

    /// <summary>When to look again (another run holds a live claim): the rest of its lease.</summary>
    [JsonIgnore]
    public TimeSpan? RetryAfter { get; init; }

    /// <summary><see cref="RetryAfter"/> in whole seconds (rounded up), for people and scripts.</summary>
    public int? RetryAfterSeconds => RetryAfter is { } wait ? (int)Math.Ceiling(wait.TotalSeconds) : null;

    /// <summary>True when the input itself was refused (exit code 2 in the CLI).</summary>
    [JsonIgnore]
    public bool IsRejected => Status is OutcomeStatus.Rejected or OutcomeStatus.AlreadyFailed;

    /// <summary>True when the outcome needs a person or a retry (exit code 1 in the CLI): failed, ambiguous, or another
    /// run's live claim met (retry after <see cref="RetryAfter"/>).</summary>
    [JsonIgnore]
    public bool IsFailure => Status is OutcomeStatus.Failed or OutcomeStatus.Ambiguous or OutcomeStatus.InProgress;
}
