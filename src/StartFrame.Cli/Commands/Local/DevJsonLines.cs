namespace StartFrame.Cli.Commands.Local;

/// <summary><c>dev --json</c>: the session is ready; everything another terminal needs, in one object.</summary>
internal sealed record DevReadyLine(string Event, string Mode, double StartedInSeconds, Dictionary<string, string> Environment, string Api, DevPortsLine Ports);

/// <summary>The ports of a <c>dev</c> session.</summary>
internal sealed record DevPortsLine(int Blob, int Queue, int Table, int Simulator, int Api);

/// <summary><c>dev --json</c>: something the running host did.</summary>
internal sealed record DevActivityLine(string Event, string Kind, string Subject, string Status, string? Detail, string? TaskId, string? Video);

/// <summary><c>dev --json</c>: the session ended; everything it started is stopped.</summary>
internal sealed record DevStoppedLine(string Event, int ExitCode, string? Error);
