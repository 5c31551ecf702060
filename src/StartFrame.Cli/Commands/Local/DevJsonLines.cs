namespace StartFrame.Cli.Commands.Local;

/// <summary><c>dev --json</c>: the session is ready; everything another terminal needs, in one object.</summary>
internal sealed record DevReadyLine(string Event, string Mode, double StartedInSeconds, Dictionary<string, string> Environment, string Api, DevPortsLine Ports);

/// <summary>The ports of a <c>dev</c> session.</summary>
internal sealed record DevPortsLine(int Blob, int Queue, int Table, int Simulator, int Api);

/// <summary><c>dev --json</c>: something the running host did.</summary>
internal sealed record DevActivityLine(string Event, string Kind, string Subject, string Status, string? Detail, string? TaskId, string? Video);

/// <summary><c>dev --json</c>: the session ended; everything it started is stopped.</summary>
internal sealed record DevStoppedLine(string Event, int ExitCode, string? Error);

/// <summary><c>dev --trace --json</c>: a video's trace ended; its stages in the order they started (offsets and durations in milliseconds).</summary>
internal sealed record DevTraceLine(string Event, string TraceId, string? Subject, string? TaskId, string? Outcome, double DurationMs, IReadOnlyList<DevTraceStageLine> Stages, int? Dropped);

/// <summary>A stage of a <see cref="DevTraceLine"/>; <c>count</c> above one is a run of the same stage (polls).</summary>
internal sealed record DevTraceStageLine(string Name, int Depth, double OffsetMs, double DurationMs, int Count, bool Failed, string? ErrorCode);
