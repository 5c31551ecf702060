using System.Net;
using System.Net.Sockets;

namespace StartFrame.LocalDev;

/// <summary>Free loopback ports, so parallel test runs and a developer's own Azurite never collide.</summary>
public static class FreePorts
{
    /// <summary>Asks the OS for <paramref name="count"/> distinct free ports on 127.0.0.1.</summary>
    public static int[] Allocate(int count)
    {
        // Hold every listener until all are chosen so the OS cannot hand out the same port twice.
        var listeners = new List<TcpListener>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
