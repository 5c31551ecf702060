using StartFrame.Core.Pipeline;

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

    public OutcomeReporter(TextWriter output, bool json)
    {
        _output = output;
        _json = json || !IsTerminal(output);
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

    public void PrintFailure(string status, string subject, string detail)
    {
        _printer.PrintFailure(status, subject, detail);
        if (!_json)
        {
            _output.WriteLine($"{status.Replace('_', ' '),-18}{subject}: {detail}");
        }
    }

    /// <summary>True for the console's own stdout when it is not redirected (a person is reading).</summary>
    public static bool IsTerminal(TextWriter output) => RedactingWriter.Wraps(output, Console.Out) && !Console.IsOutputRedirected;
}
