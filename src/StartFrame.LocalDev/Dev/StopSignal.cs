using System.Runtime.InteropServices;

namespace StartFrame.LocalDev.Dev;

/// <summary>
/// Ctrl-C (SIGINT) or SIGTERM, turned into a cancellation so a long-running local session stops what it started before
/// it exits. The first signal cancels and keeps the process alive for that; a second one is left to end the process at
/// once (for when stopping hangs).
/// </summary>
public sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    /// <summary>Starts listening for SIGINT and SIGTERM.</summary>
    public StopSignal()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _stop.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_stop.IsCancellationRequested)
        {
            return; // the second signal: the default action ends the process
        }

        context.Cancel = true;
        _stop.Cancel();
    }
}
