using System.Buffers.Binary;

namespace ModelStream.Simulator;

/// <summary>
/// The video every successful task serves: a real 1-second 96x64 H.264 MP4 (2 KB, made once with ffmpeg and
/// committed), optionally followed by a top-level <c>free</c> box up to a requested length — still a valid ISO BMFF
/// file, written in chunks so a 200 MB video costs the simulator no memory.
/// </summary>
internal static class SampleVideo
{
    private const int FreeBoxHeader = 8;
    private const int Chunk = 64 * 1024;

    public static ReadOnlyMemory<byte> Bytes { get; } = Load();

    /// <summary>The served length for a requested one (the sample alone when the request is too short to pad).</summary>
    public static long LengthFor(long? requested) =>
        requested is { } length && length >= Bytes.Length + FreeBoxHeader && length - Bytes.Length <= uint.MaxValue ? length : Bytes.Length;

    /// <summary>Writes the first <paramref name="limit"/> bytes (all by default) of a video of <paramref name="length"/> bytes.</summary>
    public static async Task WriteAsync(Stream target, long length, long limit, CancellationToken cancellationToken)
    {
        var sent = 0L;
        async Task<bool> SendAsync(ReadOnlyMemory<byte> bytes)
        {
            var take = (int)Math.Min(bytes.Length, limit - sent);
            await target.WriteAsync(bytes[..take], cancellationToken).ConfigureAwait(false);
            sent += take;
            return sent < limit;
        }

        if (!await SendAsync(Bytes).ConfigureAwait(false) || length == Bytes.Length)
        {
            return;
        }

        var header = new byte[FreeBoxHeader];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)(length - Bytes.Length));
        "free"u8.CopyTo(header.AsSpan(4));
        if (!await SendAsync(header).ConfigureAwait(false))
        {
            return;
        }

        var zeros = new byte[Chunk];
        while (sent < length)
        {
            if (!await SendAsync(zeros.AsMemory(0, (int)Math.Min(Chunk, length - sent))).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private static byte[] Load()
    {
        using var stream = typeof(SampleVideo).Assembly.GetManifestResourceStream("ModelStream.Simulator.sample.mp4")
            ?? throw new InvalidOperationException("The sample video is not embedded in the simulator.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
