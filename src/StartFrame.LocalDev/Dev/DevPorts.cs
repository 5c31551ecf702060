using System.Net;
using System.Net.Sockets;

namespace StartFrame.LocalDev.Dev;

/// <summary>The loopback ports of a <c>startframe dev</c> session.</summary>
/// <param name="Azurite">Azurite's blob, queue and table ports.</param>
/// <param name="Simulator">The ModelStream simulator's port.</param>
/// <param name="Api">The function app's HTTP port (the in-process API or <c>func start</c>).</param>
public sealed record DevPorts(AzuritePorts Azurite, int Simulator, int Api)
{
    /// <summary>Core Tools' default HTTP port (<c>local.settings.sample.json</c>'s <c>LocalHttpPort</c>).</summary>
    public const int WellKnownApiPort = 7071;

    /// <summary>The defaults of each tool: Azurite 10000-10002, the simulator 5080, the API 7071.</summary>
    public static DevPorts WellKnown { get; } = new(AzuritePorts.WellKnown, SimulatorProcess.WellKnownPort, WellKnownApiPort);

    /// <summary>Five free ports chosen by the OS.</summary>
    public static DevPorts Free()
    {
        var ports = FreePorts.Allocate(5);
        return new DevPorts(new AzuritePorts(ports[0], ports[1], ports[2]), ports[3], ports[4]);
    }

    /// <summary>Checks every port can be listened on, before anything starts, so a taken one is named at once.</summary>
    /// <exception cref="InvalidOperationException">A port is in use; the message names it, what it was for and what to do.</exception>
    public void EnsureFree()
    {
        foreach (var (port, use) in new[]
                 {
                     (Azurite.Blob, "Azurite's blob service"), (Azurite.Queue, "Azurite's queue service"), (Azurite.Table, "Azurite's table service"),
                     (Simulator, "the ModelStream simulator"), (Api, "the HTTP API"),
                 })
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
            }
            catch (SocketException)
            {
                throw new InvalidOperationException(
                    $"Port {port} ({use}) is already in use: stop what listens there (another Azurite or `startframe dev`?) or run `startframe dev --ports free`.");
            }
            finally
            {
                listener.Stop();
            }
        }
    }
}
