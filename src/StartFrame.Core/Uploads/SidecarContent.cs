namespace StartFrame.Core.Uploads;

/// <summary>A sidecar as read: its bytes (at most the limit plus one), full length and ETag, or that it is missing.</summary>
public sealed record SidecarContent(bool Exists, string Name, ReadOnlyMemory<byte> Bytes, long Length, string? ETag)
{
    /// <summary>No sidecar under <paramref name="name"/>.</summary>
    public static SidecarContent Missing(string name) => new(false, name, ReadOnlyMemory<byte>.Empty, 0, null);
}
