namespace ModelStream.Simulator;

/// <summary>
/// How the simulator answers its next <see cref="Times"/> requests of one kind (<see cref="On"/>) instead of the normal
/// answer. Queued faults apply in order, per kind; the JSON form posted to <c>/_simulator/faults</c> uses the same names
/// in camelCase, all optional.
/// </summary>
public sealed record SimulatedFault
{
    /// <summary>Which requests the fault answers: submits (default), polls, or downloads of a result video.</summary>
    public SimulatedFaultTarget On { get; init; } = SimulatedFaultTarget.Submit;

    /// <summary>Answer this HTTP status with the documented error object (unless <see cref="Body"/> is false).</summary>
    public int? Status { get; init; }

    /// <summary>Adds <c>Retry-After: n</c> (seconds) to the answer.</summary>
    public int? RetryAfter { get; init; }

    /// <summary>Whether a <see cref="Status"/> answer carries the error object; false sends an empty body. Default true.</summary>
    public bool Body { get; init; } = true;

    /// <summary>Wait this long before answering (given up when the client goes away). Alone, it delays a normal answer.</summary>
    public int DelayMs { get; init; }

    /// <summary>Abort the connection after reading the request: the client sees no response at all.</summary>
    public bool Reset { get; init; }

    /// <summary>Answer 200 with a body that is not JSON.</summary>
    public bool Garbage { get; init; }

    /// <summary>How many requests this fault answers; 0 means every one until the faults are cleared. Default 1.</summary>
    public int Times { get; init; } = 1;

    /// <summary>Overrides the error code chosen for <see cref="Status"/> (e.g. <c>invalid_parameter</c>, or <c>task_not_exist</c> on a poll).</summary>
    public string? Code { get; init; }

    /// <summary>Overrides the error message.</summary>
    public string? Message { get; init; }

    /// <summary>The error's <c>param</c> (null by default).</summary>
    public string? Param { get; init; }

    /// <summary>Which error shape to answer. Default <see cref="SimulatedErrorShape.Error"/>.</summary>
    public SimulatedErrorShape Shape { get; init; } = SimulatedErrorShape.Error;

    /// <summary>Submits only: the task is accepted, then its generation fails with this reason when it would have finished.</summary>
    public string? FailGeneration { get; init; }

    /// <summary>Submits only: the task succeeds, but its result URL has already expired (downloading it answers 403).</summary>
    public bool ExpireResult { get; init; }

    /// <summary>Submits only: accept the task under this id instead of a fresh 12-character one (e.g. <c>..</c>, to see a
    /// client refuse an id it cannot poll); a task issued earlier under the same id is replaced.</summary>
    public string? TaskId { get; init; }

    /// <summary>Video downloads only: send this many bytes of the video, then drop the connection.</summary>
    public long? CutAfterBytes { get; init; }

    /// <summary>Submits only: once the task succeeds, its polls report this result URL, as written, instead of the signed
    /// one (a relative path, <c>file:///etc/passwd</c>, another host); <c>{video}</c> in it stands for the signed URL.</summary>
    public string? ResultUrl { get; init; }

    /// <summary>Video downloads only: answer 200 with this instead of the video (an HTML page, a JSON error, nothing, or
    /// bytes that are no video under <c>video/mp4</c>).</summary>
    public SimulatedVideoContent? Serve { get; init; }

    /// <summary>Video downloads only: send this many bytes of the video, then nothing more while the connection stays open.</summary>
    public long? StallAfterBytes { get; init; }

    /// <summary>Video downloads only: answer 302 to this location (absolute or relative, any scheme); <c>{video}</c> in it
    /// stands for the signed URL of the video.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>Video downloads: serve the video padded to this many bytes. Polls: pad the answer with white space to this many bytes.</summary>
    public long? Length { get; init; }

    /// <summary>Video downloads only: send no <c>Content-Length</c> (chunked), so only the bytes read tell the size.</summary>
    public bool HideLength { get; init; }

    /// <summary>What is wrong with this fault, or null when it can be queued.</summary>
    internal string? Problem() =>
        Status is < 100 or > 599 ? "status must be an HTTP status code (100-599)"
        : RetryAfter is < 0 ? "retryAfter must not be negative"
        : DelayMs < 0 ? "delayMs must not be negative"
        : Times < 0 ? "times must be 0 (until cleared) or more"
        : (FailGeneration is not null || ExpireResult || TaskId is not null || ResultUrl is not null) && On != SimulatedFaultTarget.Submit ? "failGeneration, expireResult, taskId and resultUrl apply to submits only (\"on\": \"submit\")"
        : TaskId is { Length: 0 } ? "taskId must not be empty"
        : CutAfterBytes is not null && On != SimulatedFaultTarget.Video ? "cutAfterBytes applies to video downloads only (\"on\": \"video\")"
        : CutAfterBytes is < 0 ? "cutAfterBytes must not be negative"
        : (Serve is not null || StallAfterBytes is not null || RedirectTo is not null || HideLength) && On != SimulatedFaultTarget.Video
            ? "serve, stallAfterBytes, redirectTo and hideLength apply to video downloads only (\"on\": \"video\")"
        : Length is not null && On == SimulatedFaultTarget.Submit ? "length applies to video downloads and polls only"
        : StallAfterBytes is < 0 ? "stallAfterBytes must not be negative"
        : Length is < 0 ? "length must not be negative"
        : null;
}

/// <summary>Which requests a fault answers (<c>"submit"</c>, <c>"poll"</c> or <c>"video"</c> in JSON).</summary>
public enum SimulatedFaultTarget
{
    /// <summary><c>POST /v1/video/generations</c>.</summary>
    Submit,

    /// <summary><c>GET /v1/video/generations/{taskId}</c>.</summary>
    Poll,

    /// <summary><c>GET</c> of a result URL (<c>/_simulator/videos/{taskId}.mp4</c>).</summary>
    Video,
}

/// <summary>The two error shapes ModelStream deployments answer (<c>"error"</c> or <c>"flat"</c> in JSON).</summary>
public enum SimulatedErrorShape
{
    /// <summary><c>{"error":{"message","type","param","code"}}</c>, the documented one.</summary>
    Error,

    /// <summary><c>{"code","message","data":null}</c>, seen on some gateway paths.</summary>
    Flat,
}

/// <summary>What a result URL serves instead of the video (<c>"html"</c>, <c>"json"</c>, <c>"empty"</c>, <c>"notVideo"</c> in JSON).</summary>
public enum SimulatedVideoContent
{
    /// <summary>A 200 <c>text/html</c> page, as a CDN's error or login page.</summary>
    Html,

    /// <summary>A 200 <c>application/json</c> error object.</summary>
    Json,

    /// <summary>A 200 with an empty body.</summary>
    Empty,

    /// <summary>A 200 <c>video/mp4</c> whose bytes are no ISO BMFF file.</summary>
    NotVideo,
}
