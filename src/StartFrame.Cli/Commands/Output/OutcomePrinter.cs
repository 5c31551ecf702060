using StartFrame.Core.WaysIn;


namespace StartFrame.Cli.Commands.Output;

/// <summary>Prints outcomes one JSON object per line and folds them into one exit code.</summary>
internal sealed class OutcomePrinter(TextWriter output)
{
    private int _exit = ExitCodes.Ok;

    /// <summary>0 when all were submitted or already done, 2 when any input was rejected, 1 on any failure (wins over 2).</summary>
    public int ExitCode => _exit;

    public void Print(ProcessingOutcome outcome)
    {
        output.WriteLine(JsonText.Line(outcome, CliJsonContext.Default.ProcessingOutcome));
        if (outcome.IsFailure)
        {
            _exit = ExitCodes.Failure;
        }
        else if (outcome.IsRejected && _exit == ExitCodes.Ok)
        {
            _exit = ExitCodes.Rejected;
        }
    }

    /// <summary>Something named that does not exist: <c>not_found</c>, the input is the user's to fix (exit 2 unless something failed).</summary>
    public void PrintNotFound(string subject, string detail)
    {
        output.WriteLine(JsonText.Line(new StatusLine("not_found", subject, detail), CliJsonContext.Default.StatusLine));
        if (_exit == ExitCodes.Ok)
        {
            _exit = ExitCodes.Rejected;
        }
    }

    /// <summary>A blob left alone on purpose, and why (exit code unchanged).</summary>
    public void PrintSkipped(string subject, string detail) =>
        output.WriteLine(JsonText.Line(new StatusLine("skipped", subject, detail), CliJsonContext.Default.StatusLine));

    public void PrintFailure(string status, string subject, string detail)
    {
        output.WriteLine(JsonText.Line(new CliError(status, subject, detail), CliJsonContext.Default.CliError));
        _exit = ExitCodes.Failure;
    }
}
