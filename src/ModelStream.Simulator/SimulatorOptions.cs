namespace ModelStream.Simulator;

/// <summary>How the simulator behaves: which key it accepts, how long a generation takes, and the video it serves.</summary>
public sealed record SimulatorOptions
{
    /// <summary>The only key to accept; null accepts any key starting with <c>sk-</c>.</summary>
    public string? RequiredApiKey { get; init; }

    /// <summary>
    /// How long a task takes from submission to <c>succeeded</c>: <c>queued</c> for the first tenth, then
    /// <c>in_progress</c> with its progress, then done. Null keeps every task <c>queued</c> for ever, which tests that do
    /// not follow a task rely on for a status that does not move under them.
    /// </summary>
    public TimeSpan? GenerationTime { get; init; }

    /// <summary>How long a result URL stays valid after the task succeeded (ModelStream documents about 24 hours).</summary>
    public TimeSpan ResultUrlLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The length of the video served, in bytes: the sample MP4 followed by a top-level <c>free</c> box filling the rest,
    /// which keeps the file a valid MP4 of any size without holding it in memory. Null (or anything shorter than the
    /// sample plus 8 bytes) serves the sample as it is.
    /// </summary>
    public long? VideoLength { get; init; }

    /// <summary>Which of the three poll shapes of the API doc the simulator answers.</summary>
    public SimulatedPollShape PollShape { get; init; } = SimulatedPollShape.OpenAi;

    /// <summary>The clock tasks and URL expiry follow; a fake one lets tests and the benchmark run hours in an instant.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// The account's limit of unfinished tasks (queued or in progress): a submit beyond it answers
    /// <c>429 rate_limit_exceeded</c> with a <c>Retry-After</c> until the first of them finishes. Null: no limit.
    /// </summary>
    public int? MaxConcurrentTasks { get; init; }

    /// <summary>
    /// Submits admitted per second (a sliding second on <see cref="TimeProvider"/>): one beyond it answers
    /// <c>429 rate_limit_exceeded</c> with a <c>Retry-After</c>; a submit refused this way uses none of the rate. Null: no limit.
    /// </summary>
    public int? RateLimit { get; init; }

    /// <summary>What is wrong with these options, or null.</summary>
    internal string? Problem() =>
        GenerationTime is { } generation && generation < TimeSpan.Zero ? "the generation time must not be negative"
        : ResultUrlLifetime <= TimeSpan.Zero ? "the result URL lifetime must be positive"
        : VideoLength is < 0 ? "the video length must not be negative"
        : MaxConcurrentTasks is < 1 ? "the most concurrent tasks must be 1 or more"
        : RateLimit is < 1 ? "the rate limit must be 1 or more submits per second"
        : null;
}

/// <summary>The poll answers of the API doc (<c>openai</c>, <c>wrapper</c>, <c>flat</c> on the command line).</summary>
public enum SimulatedPollShape
{
    /// <summary><c>{"id","task_id","object":"video","status":"in_progress","progress":40,"metadata":{"url"},"error"}</c>.</summary>
    OpenAi,

    /// <summary><c>{"code":"success","data":{"task_id","status":"IN_PROGRESS","progress":"40%","fail_reason","result_url"}}</c>.</summary>
    Wrapper,

    /// <summary><c>{"task_id","status":"processing","format":"mp4","url","metadata","error":{"code","message"}}</c>.</summary>
    Flat,
}
