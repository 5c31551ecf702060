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

    /// <summary>
    /// Whether a submit fetches its start frame (<c>images[0]</c>) before it is accepted, as ModelStream does: a URL that
    /// does not answer 2xx with a PNG, JPEG or WebP of at most 50 MB is refused with 400 <c>invalid_parameter</c>
    /// naming <c>images</c>. On by default. Turn it off only for a test about something else whose image URL nothing can
    /// serve (such as an <c>https://</c> URL that must stay as the test wrote it).
    /// </summary>
    public bool FetchImages { get; init; } = true;

    /// <summary>
    /// Whether a task's video is rendered from its start frame with ffmpeg (a slow zoom of the requested duration and
    /// resolution) instead of serving the sample. Off by default in process, so tests that only need a video do not pay
    /// a render each; the command line's default is <see cref="SimulatedRender.Auto"/>. Needs <see cref="FetchImages"/>.
    /// </summary>
    public SimulatedRender Render { get; init; } = SimulatedRender.Off;

    /// <summary>The ffmpeg to render with: a name looked up on PATH, or a path.</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>What is wrong with these options, or null.</summary>
    internal string? Problem() =>
        GenerationTime is { } generation && generation < TimeSpan.Zero ? "the generation time must not be negative"
        : ResultUrlLifetime <= TimeSpan.Zero ? "the result URL lifetime must be positive"
        : VideoLength is < 0 ? "the video length must not be negative"
        : MaxConcurrentTasks is < 1 ? "the most concurrent tasks must be 1 or more"
        : RateLimit is < 1 ? "the rate limit must be 1 or more submits per second"
        : Render != SimulatedRender.Off && !FetchImages ? "rendering needs the start frame: it cannot be on while image fetching is off"
        : Render == SimulatedRender.On && VideoLength is not null ? "the video length pads the sample video: it cannot be combined with rendering on"
        : string.IsNullOrWhiteSpace(FfmpegPath) ? "the ffmpeg path must not be empty"
        : null;
}

/// <summary>Whether result videos are rendered from the start frame (<c>auto</c>, <c>on</c>, <c>off</c> on the command line).</summary>
public enum SimulatedRender
{
    /// <summary>Every task serves the sample video.</summary>
    Off,

    /// <summary>Rendered where ffmpeg is found; otherwise the sample, said once.</summary>
    Auto,

    /// <summary>Rendered; the simulator does not start without ffmpeg, and a failed render fails the task.</summary>
    On,
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
