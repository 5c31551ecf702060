using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace ModelStream.Simulator;

/// <summary>
/// Turns a task's start frame into its result video with ffmpeg — a slow zoom into the frame, of the requested duration
/// and resolution, H.264 in an MP4 — once per task, off the request path, one render at a time. Where ffmpeg cannot be
/// found and rendering is <see cref="SimulatedRender.Auto"/>, tasks serve the sample video instead, and it says so once.
/// </summary>
internal sealed class VideoRenderer : IDisposable
{
    public const int FramesPerSecond = 24;

    private readonly ConcurrentDictionary<string, Task<RenderedVideo>> _renders = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly string? _ffmpeg;
    private readonly string _directory;

    public VideoRenderer(SimulatorOptions options)
    {
        // A padded sample (VideoLength) is asked for by its size: it wins over auto (on with it is refused by the options).
        Mode = options.VideoLength is null ? options.Render : SimulatedRender.Off;
        if (Mode == SimulatedRender.Off)
        {
            _directory = "";
            return;
        }

        _ffmpeg = Locate(options.FfmpegPath);
        if (_ffmpeg is null && Mode == SimulatedRender.On)
        {
            throw new ArgumentException($"--render on needs ffmpeg ('{options.FfmpegPath}' is not on PATH; apt-get install ffmpeg), or use --render auto or off.");
        }

        _directory = _ffmpeg is null ? "" : Directory.CreateTempSubdirectory("modelstream-simulator-").FullName;
    }

    public SimulatedRender Mode { get; }

    /// <summary>True when tasks get a video rendered from their start frame; false when they serve the sample.</summary>
    public bool Renders => _ffmpeg is not null;

    /// <summary>The one line to say when rendering was asked for (auto) but cannot happen; null otherwise.</summary>
    public string? Unavailable => Mode == SimulatedRender.Auto && _ffmpeg is null
        ? "ffmpeg is not on PATH: every task serves the sample video instead of one rendered from its start frame (--render auto; apt-get install ffmpeg to render)"
        : null;

    /// <summary>Starts rendering a task's video from its start frame, unless it already has one.</summary>
    public void Start(IssuedTask task, byte[] frame)
    {
        if (Renders)
        {
            _renders.GetOrAdd(task.TaskId, _ => Task.Run(() => RenderAsync(task, frame, _stopping.Token)));
        }
    }

    /// <summary>The task's render: null when it has none (it serves the sample), else its task.</summary>
    public Task<RenderedVideo>? RenderOf(string taskId) => _renders.GetValueOrDefault(taskId);

    public void Dispose()
    {
        _stopping.Cancel();
        if (_directory.Length > 0)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // an ffmpeg still being killed holds a file; the temp folder is the OS's to clean then
            }
        }
    }

    /// <summary>The output size for a requested height: 16:9, both sides even (H.264 with 4:2:0 needs them even).</summary>
    internal static (int Width, int Height) SizeFor(int height)
    {
        var even = height + (height % 2);
        var width = (int)Math.Round(even * 16 / 9.0, MidpointRounding.AwayFromZero);
        return (width + (width % 2), even);
    }

    private async Task<RenderedVideo> RenderAsync(IssuedTask task, byte[] frame, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        var input = Path.Combine(_directory, task.TaskId + ".frame");
        var output = Path.Combine(_directory, task.TaskId + ".mp4");
        try
        {
            await File.WriteAllBytesAsync(input, frame, cancellationToken).ConfigureAwait(false);
            var (width, height) = SizeFor(task.Height);
            var frames = task.DurationSeconds * FramesPerSecond;
            var size = string.Create(CultureInfo.InvariantCulture, $"{width}x{height}");
            // Fill the 16:9 frame (cropping what overflows), then zoom in by 15 % over the whole video, centred.
            var filter = string.Create(CultureInfo.InvariantCulture,
                $"scale={width}:{height}:force_original_aspect_ratio=increase,crop={width}:{height},zoompan=z='1+0.15*on/{frames}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d={frames}:s={size}:fps={FramesPerSecond},format=yuv420p");
            var started = Stopwatch.GetTimestamp();
            var (exitCode, error) = await RunAsync(
                ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", input, "-vf", filter, "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
                    "-c:v", "libx264", "-preset", "ultrafast", "-movflags", "+faststart", output],
                cancellationToken).ConfigureAwait(false);
            return exitCode == 0 && File.Exists(output)
                ? new RenderedVideo(output, new FileInfo(output).Length, null, Stopwatch.GetElapsedTime(started))
                : new RenderedVideo(null, 0, $"ffmpeg exited with {exitCode}: {LastLine(error)}", Stopwatch.GetElapsedTime(started));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            return new RenderedVideo(null, 0, $"ffmpeg could not run: {exception.Message}", TimeSpan.Zero);
        }
        finally
        {
            try
            {
                File.Delete(input);
            }
            catch (IOException)
            {
                // the simulator is stopping and its folder already went
            }

            _oneAtATime.Release();
        }
    }

    private async Task<(int ExitCode, string Error)> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(_ffmpeg!) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new IOException("ffmpeg did not start");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        await output.ConfigureAwait(false);
        return (process.ExitCode, await error.ConfigureAwait(false));
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no message)";

    /// <summary>The ffmpeg to run: a path as given, or a name looked up on PATH; null when there is none.</summary>
    private static string? Locate(string ffmpeg)
    {
        if (ffmpeg.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return File.Exists(ffmpeg) ? ffmpeg : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, ffmpeg))
            .FirstOrDefault(File.Exists);
    }
}

/// <summary>A finished render: the MP4 and its length, or why there is none; and how long it took.</summary>
internal sealed record RenderedVideo(string? Path, long Length, string? Problem, TimeSpan Took);
