using StartFrame.Core.Redaction;
using StartFrame.Core.WaysIn;

namespace StartFrame.Cli.Commands.Output;

/// <summary>
/// Prints processing outcomes for <c>process</c> and <c>redrive</c>: lines for people on a terminal, or the JSON lines
/// of <see cref="OutcomePrinter"/> with <c>--json</c> or when stdout is redirected (what scripts have always read).
/// The exit code is <see cref="OutcomePrinter"/>'s either way.
/// </summary>
internal sealed class OutcomeReporter
{
    private readonly TextWriter _output;
    private readonly bool _json;
    private readonly OutcomePrinter _printer;

    /// <summary>JSON lines when asked for, and whenever stdout is not a terminal (a pipe, a file, a script).</summary>
    public static bool WantsJson(bool json, TextWriter output) => json || !IsTerminal(output);

    public OutcomeReporter(TextWriter output, bool json)
    {
        _output = output;
        _json = WantsJson(json, output);
        _printer = new OutcomePrinter(_json ? output : TextWriter.Null);
    }

    /// <summary>0 when all were submitted or already done, 2 when any input was rejected, 1 on any failure.</summary>
    public int ExitCode => _printer.ExitCode;

    public void Print(ProcessingOutcome outcome)
    {
        _printer.Print(outcome);
        if (_json)
        {
            return;
        }

        // A task id says it all for the good outcomes; the others need their sentence.
        var status = outcome.Status.Replace('_', ' ');
        var done = outcome.Status is OutcomeStatus.Submitted or OutcomeStatus.AlreadySubmitted or OutcomeStatus.RecordWritten;
        var line = $"{status,-18}{outcome.Subject}";
        line += outcome.TaskId is { } taskId ? $" -> task {taskId}" : "";
        line += outcome.RetryAfterSeconds is { } seconds ? $" (retry in {seconds} s)" : "";
        line += !done && outcome.Detail is { } detail ? ": " + detail : "";
        _output.WriteLine(line);
        foreach (var error in outcome.Errors ?? [])
        {
            _output.WriteLine($"{"",-18}  {ErrorLines.Format(error)}");
        }
    }

    /// <summary>True when lines are JSON (asked for, or stdout is not a terminal); summaries then go to stderr.</summary>
    public bool Json => _json;

    /// <summary>Where the lines go.</summary>
    public TextWriter Output => _output;

    /// <summary>Something named that does not exist (exit 2).</summary>
    public void PrintNotFound(string subject, string detail)
    {
        _printer.PrintNotFound(subject, detail);
        if (!_json)
        {
            _output.WriteLine($"{"not found",-18}{subject}: {detail}");
        }
    }

    /// <summary>A blob left alone on purpose, and why.</summary>
    public void PrintSkipped(string subject, string detail)
    {
        _printer.PrintSkipped(subject, detail);
        if (!_json)
        {
            _output.WriteLine($"{"skipped",-18}{subject}: {detail}");
        }
    }

    public void PrintFailure(string status, string subject, string detail)
    {
        _printer.PrintFailure(status, subject, detail);
        if (!_json)
        {
            _output.WriteLine($"{status.Replace('_', ' '),-18}{subject}: {detail}");
        }
    }

    /// <summary>True for the console's own stdout when it is not redirected (a person is reading).</summary>
    public static bool IsTerminal(TextWriter output) => RedactingTextWriter.Wraps(output, Console.Out) && !Console.IsOutputRedirected;
}
