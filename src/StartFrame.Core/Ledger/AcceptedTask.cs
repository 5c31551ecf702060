namespace StartFrame.Core.Ledger;

/// <summary>What the ledger keeps of a task ModelStream accepted.</summary>
/// <param name="TaskId">ModelStream's task id.</param>
/// <param name="Model">The model submitted.</param>
/// <param name="SubmittedAt">When ModelStream accepted it.</param>
/// <param name="TaskRecordJson">The task record as queued (secrets removed): it answers replays, status look-ups and GET.</param>
public sealed record AcceptedTask(string TaskId, string Model, DateTimeOffset SubmittedAt, string TaskRecordJson);
