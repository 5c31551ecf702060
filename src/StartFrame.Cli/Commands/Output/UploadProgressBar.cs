using System.Globalization;

namespace StartFrame.Cli.Commands.Output;

/// <summary>
/// One updating line on stderr while a large file uploads (the SDK reports bytes sent through
/// <c>BlobUploadOptions.ProgressHandler</c>). Only drawn on a terminal: a redirected stderr gets no carriage returns.
/// </summary>
internal sealed class UploadProgressBar : IProgress<long>, IDisposable
{
    /// <summary>Files smaller than this upload in a blink: no bar.</summary>
    public const long Threshold = 4 * 1024 * 1024;

    private const int Width = 30;
    private readonly TextWriter _error;
    private readonly string _label;
    private readonly long _total;
    private readonly Lock _gate = new();
    private int _shown = -1;
    private bool _drawn;

    private UploadProgressBar(TextWriter error, string label, long total)
    {
        _error = error;
        _label = label;
        _total = total;
    }

    /// <summary>A bar for <paramref name="length"/> bytes, or null when there should be none (small file, or stderr is not a terminal).</summary>
    public static UploadProgressBar? For(TextWriter error, string label, long length)
    {
        var terminal = RedactingWriter.Wraps(error, Console.Error) && !Console.IsErrorRedirected;
        return terminal && length > Threshold ? new UploadProgressBar(error, label, length) : null;
    }

    public void Report(long value)
    {
        var percent = (int)Math.Clamp(value * 100 / Math.Max(_total, 1), 0, 100);
        lock (_gate)
        {
            if (percent == _shown)
            {
                return; // the SDK reports every buffer; redraw only when the number changes
            }

            _shown = percent;
            var filled = percent * Width / 100;
            _error.Write(string.Create(CultureInfo.InvariantCulture,
                $"\r{_label} [{new string('#', filled)}{new string('-', Width - filled)}] {percent,3}%  {Megabytes(value)}/{Megabytes(_total)} MB"));
            _error.Flush();
            _drawn = true;
        }
    }

    /// <summary>Clears the line, so what follows starts at column 0 on a clean line.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_drawn)
            {
                _error.Write("\r" + new string(' ', _label.Length + Width + 30) + "\r");
                _error.Flush();
                _drawn = false;
            }
        }
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture);
}
