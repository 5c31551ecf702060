namespace StartFrame.Cli.Commands.Output;

/// <summary>
/// A table for people on a terminal, in two forms. <see cref="Print"/> sizes each column to its widest cell (a short list
/// known in advance, like <c>models</c>). A <see cref="Table"/> instance streams: columns have fixed widths chosen by the
/// caller, the header is written before the first row, a cell wider than its column is cut with an ellipsis, and the
/// last column takes what it needs — so a listing of any length is printed as it is read, never held in memory.
/// </summary>
internal sealed class Table(TextWriter output, params (string Header, int Width)[] columns)
{
    private const string Gap = "  ";
    private bool _headerWritten;

    /// <summary>Writes one row (the header first, once); null or empty cells show as <c>-</c>.</summary>
    public void Row(params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (!_headerWritten)
        {
            output.WriteLine(Format([.. columns.Select(c => c.Header)]));
            _headerWritten = true;
        }

        output.WriteLine(Format(cells));
    }

    /// <summary>A line under the last row, indented to the last column (details that belong to the row above).</summary>
    public void Continuation(string text)
    {
        var indent = columns.Take(columns.Length - 1).Sum(c => c.Width + Gap.Length);
        output.WriteLine(new string(' ', indent) + text);
    }

    /// <summary>Prints a whole table at once, each column as wide as its widest cell; lines start with <paramref name="indent"/>.</summary>
    public static void Print(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, string indent = "")
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var widths = Enumerable.Range(0, header.Count).Select(column => rows.Select(r => r[column].Length).Append(header[column].Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
        {
            output.WriteLine(indent + string.Join(Gap, row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
    }

    private string Format(string?[] cells)
    {
        var parts = new string[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var cell = i < cells.Length && !string.IsNullOrEmpty(cells[i]) ? cells[i]! : "-";
            var last = i == columns.Length - 1;
            parts[i] = last ? cell : Fit(cell, columns[i].Width);
        }

        return string.Join(Gap, parts).TrimEnd();
    }

    private static string Fit(string cell, int width) =>
        cell.Length <= width ? cell.PadRight(width) : Core.Records.RecordLimits.Cut(cell, Math.Max(width, 2));
}
