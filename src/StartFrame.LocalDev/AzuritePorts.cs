namespace StartFrame.LocalDev;

/// <summary>The three loopback ports Azurite listens on.</summary>
/// <param name="Blob">Blob service port.</param>
/// <param name="Queue">Queue service port.</param>
/// <param name="Table">Table service port.</param>
public sealed record AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>Azurite's own defaults (10000-10002): what <c>UseDevelopmentStorage=true</c> and Storage Explorer expect.</summary>
    public static AzuritePorts WellKnown { get; } = new(10000, 10001, 10002);

    /// <summary>True for <see cref="WellKnown"/>, where <c>UseDevelopmentStorage=true</c> reaches this Azurite.</summary>
    public bool AreWellKnown => this == WellKnown;

    /// <summary>Three free ports chosen by the OS, so parallel runs and a developer's own Azurite never collide.</summary>
    public static AzuritePorts Free()
    {
        var ports = FreePorts.Allocate(3);
        return new AzuritePorts(ports[0], ports[1], ports[2]);
    }
}
