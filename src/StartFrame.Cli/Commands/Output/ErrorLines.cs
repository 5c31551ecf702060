using StartFrame.Core.Records;



namespace StartFrame.Cli.Commands.Output;

/// <summary>How every command prints one error of a record or an outcome: <c>field: message [code]</c>, said once.</summary>
internal static class ErrorLines
{
    /// <summary><c>duration: … [out_of_range]</c>; a message that already starts with its field (a summary kept in the ledger,
    /// "request: …") is not prefixed again.</summary>
    public static string Format(RecordError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var message = error.Message.StartsWith(error.Field + ": ", StringComparison.Ordinal) ? error.Message : $"{error.Field}: {error.Message}";
        return $"{message} [{error.Code}]";
    }
}
