namespace ModelStream.Simulator;

/// <summary>
/// How the simulator answers its next <see cref="Times"/> submits instead of the normal answer. Queued faults
/// apply in order; the JSON form posted to <c>/_simulator/faults</c> uses the same names in camelCase, all optional.
/// </summary>
public sealed record SimulatedFault
{
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

    /// <summary>How many submits this fault answers; 0 means every one until the faults are cleared. Default 1.</summary>
    public int Times { get; init; } = 1;

    /// <summary>Overrides the error code chosen for <see cref="Status"/> (e.g. <c>invalid_parameter</c>).</summary>
    public string? Code { get; init; }

    /// <summary>Overrides the error message.</summary>
    public string? Message { get; init; }

    /// <summary>The error's <c>param</c> (null by default).</summary>
    public string? Param { get; init; }

    /// <summary>Which error shape to answer. Default <see cref="SimulatedErrorShape.Error"/>.</summary>
    public SimulatedErrorShape Shape { get; init; } = SimulatedErrorShape.Error;

    /// <summary>What is wrong with this fault, or null when it can be queued.</summary>
    internal string? Problem() =>
        Status is < 100 or > 599 ? "status must be an HTTP status code (100-599)"
        : RetryAfter is < 0 ? "retryAfter must not be negative"
        : DelayMs < 0 ? "delayMs must not be negative"
        : Times < 0 ? "times must be 0 (until cleared) or more"
        : null;
}

/// <summary>The two error shapes ModelStream deployments answer (<c>"error"</c> or <c>"flat"</c> in JSON).</summary>
public enum SimulatedErrorShape
{
    /// <summary><c>{"error":{"message","type","param","code"}}</c>, the documented one.</summary>
    Error,

    /// <summary><c>{"code","message","data":null}</c>, seen on some gateway paths.</summary>
    Flat,
}
