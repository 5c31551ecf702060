using System.Globalization;
using System.Text.Json;
using StartFrame.LocalDev.Dev;
using StartFrame.Cli.Commands.Output;

namespace StartFrame.Cli.Commands.Local;

/// <summary>
/// What <c>startframe dev</c> prints. For people: the steps, then the lines to paste into another terminal, then a line per
/// thing the host does. With <c>--json</c>: one object per line on stdout (<c>ready</c>, <c>activity</c>, <c>trace</c> with
/// <c>--trace</c>, <c>stopped</c>),
/// and the steps as text on stderr.
/// </summary>
internal sealed class DevConsole(TextWriter output, TextWriter error, bool json) : IDevReporter
{
    private readonly Lock _gate = new();
    private readonly TextWriter _steps = json ? error : output;

    public void Stage(string text) => Write(_steps, "==> " + text);

    public void Detail(string text) => Write(_steps, "    " + text);

    public void Ready(DevEnvironment environment, TimeSpan startedIn)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var ports = environment.Ports;
        if (json)
        {
            var line = new DevReadyLine(
                "ready",
                ModeName(environment.Mode),
                Math.Round(startedIn.TotalSeconds, 1),
                environment.Variables.ToDictionary(v => v.Key, v => v.Value),
                environment.ApiBaseUrl,
                new DevPortsLine(ports.Azurite.Blob, ports.Azurite.Queue, ports.Azurite.Table, ports.Simulator, ports.Api));
            Write(output, JsonText.Line(line, CliJsonContext.Default.DevReadyLine));
            return;
        }

        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"==> Ready in {startedIn.TotalSeconds:0.0} s ({ModeName(environment.Mode)}). In another terminal, paste:"),
            "",
        };
        lines.AddRange(environment.Variables.Select(v => $"export {v.Key}={ShellQuoted(v.Value)}"));
        lines.Add("");
        lines.Add($"    HTTP API: POST ${DevEnvironment.ApiVariable}/videos, GET ${DevEnvironment.ApiVariable}/videos/<taskId> (no function key locally)");
        lines.Add($"    Ports: Azurite {ports.Azurite.Blob} (blob), {ports.Azurite.Queue} (queue), {ports.Azurite.Table} (table); simulator {ports.Simulator}; API {ports.Api}");
        lines.Add("    Ctrl-C stops everything this session started.");
        lines.Add("");
        Write(output, string.Join(Environment.NewLine, lines));
    }

    public void Activity(DevActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (json)
        {
            var line = new DevActivityLine("activity", activity.Kind, activity.Subject, activity.Status, activity.Detail, activity.TaskId, activity.Video);
            Write(output, JsonText.Line(line, CliJsonContext.Default.DevActivityLine));
            return;
        }

        var text = $"{activity.Kind,-6} {activity.Status.Replace('_', ' '),-16} {activity.Subject}";
        text += activity.TaskId is { } taskId && activity.Subject != $"task {taskId}" ? $" -> task {taskId}" : "";
        text += activity.Video is { } video ? $" -> {video}" : "";
        text += activity.Detail is { } detail ? ": " + detail : "";
        Write(output, text);
    }

    /// <summary>
    /// A video's trace as a timeline: a header (trace id, subject, task, outcome, total time), then a line per stage —
    /// start offset, duration, name indented by depth; a run of polls is one line with its count.
    /// </summary>
    public void Trace(DevTrace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        if (json)
        {
            var stages = trace.Stages
                .Select(s => new DevTraceStageLine(s.Name, s.Depth, Milliseconds(s.Offset), Milliseconds(s.Duration), s.Count, s.Failed, s.ErrorCode))
                .ToList();
            var line = new DevTraceLine("trace", trace.TraceId, trace.Subject, trace.TaskId, trace.Outcome, Milliseconds(trace.Duration), stages, trace.Dropped > 0 ? trace.Dropped : null);
            Write(output, JsonText.Line(line, CliJsonContext.Default.DevTraceLine));
            return;
        }

        var header = $"trace  {trace.TraceId} {trace.Subject ?? "(submission)"}";
        header += trace.TaskId is { } taskId ? $" -> task {taskId}" : "";
        header += string.Create(CultureInfo.InvariantCulture, $": {trace.Outcome ?? "ended"} in {Seconds(trace.Duration)}");
        var lines = new List<string> { header };
        foreach (var stage in trace.Stages)
        {
            var name = new string(' ', 2 * Math.Min(stage.Depth, 8)) + stage.Name + (stage.Count > 1 ? $" x{stage.Count}" : "");
            var failed = stage.ErrorCode is { } code ? $"  failed: {code}" : stage.Failed ? "  failed" : "";
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"       +{Seconds(stage.Offset),9} {Seconds(stage.Duration),9}  {name}{failed}"));
        }

        if (trace.Dropped > 0)
        {
            lines.Add($"       ({trace.Dropped} more spans not kept)");
        }

        Write(output, string.Join(Environment.NewLine, lines));
    }

    /// <summary>The session ended: says so (JSON: a <c>stopped</c> line) and, on a failure, why in one line.</summary>
    public void Stopped(int exitCode, string? problem)
    {
        // A failure's first line is the error; the rest is the output of whatever failed, shown under it.
        var firstLine = problem?.Split('\n', 2)[0].TrimEnd('\r');
        if (json)
        {
            Write(output, JsonText.Line(new DevStoppedLine("stopped", exitCode, firstLine), CliJsonContext.Default.DevStoppedLine));
        }

        if (problem is not null)
        {
            Write(error, firstLine!);
            foreach (var line in problem.Split('\n').Skip(1).Where(l => l.Trim().Length > 0))
            {
                Write(error, "    | " + line.TrimEnd('\r'));
            }
        }

        Write(_steps, exitCode == ExitCodes.Ok ? "==> Stopped; nothing this session started is left running." : "==> Stopped what had started.");
    }

    private static double Milliseconds(TimeSpan span) => Math.Round(span.TotalMilliseconds, 1);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    private static string ModeName(DevMode mode) => mode == DevMode.Func ? "func" : "in-process";

    // Single quotes keep a connection string's ; and = literal in any POSIX shell.
    private static string ShellQuoted(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private void Write(TextWriter writer, string text)
    {
        lock (_gate)
        {
            writer.WriteLine(text);
            writer.Flush();
        }
    }
}
