using System.Diagnostics;
using System.Runtime.InteropServices;

namespace StartFrame.Benchmarks;

/// <summary>
/// This process's CPU time, to the nanosecond where the OS says so: <c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c> on
/// Linux, where <see cref="Process.TotalProcessorTime"/> moves in 10 ms clock ticks (several percent of a block of
/// uploads); <see cref="Process.TotalProcessorTime"/> elsewhere.
/// </summary>
internal static partial class ProcessCpu
{
    private const int ClockProcessCpuTimeId = 2;

    /// <summary>Whether <see cref="Now"/> reads the precise clock.</summary>
    public static bool Precise { get; } = OperatingSystem.IsLinux() && TryPrecise(out _);

    public static TimeSpan Now()
    {
        if (Precise && TryPrecise(out var now))
        {
            return now;
        }

        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static bool TryPrecise(out TimeSpan now)
    {
        now = default;
        try
        {
            if (ClockGetTime(ClockProcessCpuTimeId, out var spec) != 0)
            {
                return false;
            }

            now = TimeSpan.FromTicks((spec.Seconds * TimeSpan.TicksPerSecond) + (spec.Nanoseconds / 100));
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
