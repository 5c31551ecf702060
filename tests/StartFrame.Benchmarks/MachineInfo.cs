using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using StartFrame.LocalDev;

namespace StartFrame.Benchmarks;

/// <summary>The machine and software a run was measured on, as the report heads it.</summary>
internal sealed record MachineInfo(DateTimeOffset Date, int Cores, string Cpu, string Memory, string Os, string Runtime, string Gc, string Azurite, string Node)
{
    public static async Task<MachineInfo> CaptureAsync(RepoLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return new MachineInfo(
            DateTimeOffset.UtcNow,
            Environment.ProcessorCount,
            CpuModel(),
            string.Create(CultureInfo.InvariantCulture, $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0} GiB"),
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            (GCSettings.IsServerGC ? "server" : "workstation") + (GCSettings.LatencyMode == GCLatencyMode.Interactive ? ", concurrent" : ""),
            AzuriteVersion(layout),
            await NodeVersionAsync(cancellationToken));
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var model = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo).FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return model ?? RuntimeInformation.ProcessArchitecture.ToString();
    }

    private static string AzuriteVersion(RepoLayout layout)
    {
        var package = Path.Combine(layout.AzuriteNpmProject, "node_modules", "azurite", "package.json");
        return File.Exists(package) ? JsonNode.Parse(File.ReadAllText(package))?["version"]?.GetValue<string>() ?? "?" : "?";
    }

    private static async Task<string> NodeVersionAsync(CancellationToken cancellationToken)
    {
        Process? node;
        try
        {
            node = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "node.exe" : "node", "--version")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            });
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "?";
        }

        if (node is null)
        {
            return "?";
        }

        using (node)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                var version = await node.StandardOutput.ReadToEndAsync(timeout.Token);
                await node.WaitForExitAsync(timeout.Token);
                return version.Trim();
            }
            catch (OperationCanceledException)
            {
                node.Kill(); // ours, by its own handle
                return "?";
            }
        }
    }
}
