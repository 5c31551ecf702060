using System.Globalization;

namespace StartFrame.Benchmarks;

/// <summary>
/// The whole machine's CPU from <c>/proc/stat</c> (Linux), to tell how much of it other processes took while a run
/// was measured: on a shared 2-core machine, a build next door moves every figure. Zero where there is no procfs.
/// </summary>
internal readonly record struct MachineCpu(long Busy, long Total)
{
    private const string StatPath = "/proc/stat";
    private const string LoadAveragePath = "/proc/loadavg";

    public static MachineCpu Sample()
    {
        if (!File.Exists(StatPath))
        {
            return default;
        }

        // "cpu  user nice system idle iowait irq softirq steal guest guest_nice" (guest time is already in user).
        var fields = File.ReadLines(StatPath).First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + (fields.Length > 7 ? fields[7] : 0);
        return new MachineCpu(busy, busy + idle);
    }

    /// <summary>CPU time all processes used between two samples taken <paramref name="elapsed"/> apart.</summary>
    public static TimeSpan BusyBetween(MachineCpu before, MachineCpu after, TimeSpan elapsed)
    {
        var total = after.Total - before.Total;
        return total <= 0 ? TimeSpan.Zero : elapsed * Environment.ProcessorCount * ((after.Busy - before.Busy) / (double)total);
    }

    /// <summary>The 1-minute load average, or null where there is none.</summary>
    public static double? LoadAverage() => File.Exists(LoadAveragePath)
        ? double.Parse(File.ReadAllText(LoadAveragePath).Split(' ')[0], CultureInfo.InvariantCulture)
        : null;
}
