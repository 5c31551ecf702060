using Microsoft.Extensions.Hosting;

namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// The in-process host's lifetime belongs to whoever started it (the dev session, a test), not to the console: the default
/// console lifetime would catch Ctrl-C and SIGTERM itself and stop the host on its own, racing the session's orderly stop.
/// </summary>
internal sealed class SessionLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
