using System.Globalization;
using StartFrame.Core.Redaction;

namespace StartFrame.Cli.Commands.Output;

/// <summary>
/// One updating line on stderr — a bar, a percentage and a caption — for anything with a known end (bytes of a
/// download, percent of a generation). Only drawn on a terminal: a redirected stderr gets no carriage returns, and
/// callers print plain lines instead. Bytes are counted in binary units and labelled so: MiB.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    /// <summary>Files smaller than this move in a blink: no bar for them.</summary>
    public const long LargeFile = 4 * 1024 * 1024;

    private const int Width = 30;
    private readonly TextWriter _error;
    private readonly string _label;
    private readonly Lock _gate = new();
    private string _shown = "";
    private int _drawnLength;

    private ProgressBar(TextWriter error, string label)
    {
        _error = error;
        _label = label;
    }

    /// <summary>True when <paramref name="error"/> is the console's stderr and a person sees it.</summary>
    public static bool IsTerminal(TextWriter error) => RedactingTextWriter.Wraps(error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>A bar, or null when stderr is not a terminal.</summary>
    public static ProgressBar? For(TextWriter error, string label) => IsTerminal(error) ? new ProgressBar(error, label) : null;

    /// <summary>A bar for a transfer of <paramref name="length"/> bytes, or null when there should be none (a small file, or stderr is not a terminal).</summary>
    public static ProgressBar? ForBytes(TextWriter error, string label, long length) => length > LargeFile ? For(error, label) : null;

    /// <summary>"1.5/4.0 MiB": bytes done out of a total, in binary mebibytes (1,048,576 bytes), labelled as such.</summary>
    public static string BytesCaption(long done, long total) =>
        string.Create(CultureInfo.InvariantCulture, $"{done / 1048576.0:0.0}/{total / 1048576.0:0.0} MiB");

    /// <summary>Redraws the line with <paramref name="percent"/> (0–100) and a caption, when either changed.</summary>
    public void Show(int percent, string caption)
    {
        percent = Math.Clamp(percent, 0, 100);
        var filled = percent * Width / 100;
        var line = string.Create(CultureInfo.InvariantCulture, $"{_label} [{new string('#', filled)}{new string('-', Width - filled)}] {percent,3}%  {caption}");
        lock (_gate)
        {
            if (line == _shown)
            {
                return;
            }

            // Pad over the previous line, which may have been longer.
            _error.Write("\r" + line.PadRight(_drawnLength));
            _error.Flush();
            _shown = line;
            _drawnLength = Math.Max(_drawnLength, line.Length);
        }
    }

    /// <summary>A byte counter as a progress report (<see cref="IProgress{T}"/> of bytes done out of <paramref name="total"/>).</summary>
    public IProgress<long> Bytes(long total) => new BytesProgress(this, total);

    /// <summary>Clears the line, so what follows starts at column 0 on a clean line.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_drawnLength > 0)
            {
                _error.Write("\r" + new string(' ', _drawnLength) + "\r");
                _error.Flush();
                _drawnLength = 0;
                _shown = "";
            }
        }
    }

    private sealed class BytesProgress(ProgressBar bar, long total) : IProgress<long>
    {
        public void Report(long value) => bar.Show((int)(value * 100 / Math.Max(total, 1)), BytesCaption(value, total));
    }
}
