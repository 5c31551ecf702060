using System.Diagnostics;

namespace StartFrame.Benchmarks;

/// <summary>Progress lines on stderr, stamped with the time since start, so stdout carries only the table.</summary>
internal sealed class Progress
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public void Line(string message) => Console.Error.WriteLine($"[{_clock.Elapsed:mm\\:ss}] {message}");
}
