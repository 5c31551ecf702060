using System.Buffers.Binary;
using System.IO.Compression;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>Real, decodable images made in code, so tests need no binary fixtures.</summary>
public static class TestImages
{
    /// <summary>A valid RGB PNG of the given size (a flat colour), optionally padded to <paramref name="padToBytes"/>
    /// with an ancillary chunk so large-image tests need not compress megapixels.</summary>
    public static byte[] Png(int width, int height, int padToBytes = 0)
    {
        using var stream = new MemoryStream();
        stream.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 2; // truecolour
        Chunk(stream, "IHDR", ihdr);

        var raw = new byte[height * (1 + (width * 3))];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + (width * 3));
            for (var x = 0; x < width; x++)
            {
                raw[row + 1 + (x * 3)] = 40;
                raw[row + 2 + (x * 3)] = 90;
                raw[row + 3 + (x * 3)] = 200;
            }
        }

        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            {
                z.Write(raw);
            }

            Chunk(stream, "IDAT", compressed.ToArray());
        }

        var padding = padToBytes - (int)stream.Length - 12 - 12;
        if (padding > 0)
        {
            Chunk(stream, "zzPd", new byte[padding]);
        }

        Chunk(stream, "IEND", []);
        return stream.ToArray();
    }

    private static void Chunk(Stream stream, string type, byte[] data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        System.Text.Encoding.ASCII.GetBytes(type, header[4..]);
        stream.Write(header);
        stream.Write(data);
        var crc = Crc32([.. header[4..].ToArray(), .. data]);
        Span<byte> crcBytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        stream.Write(crcBytes);
    }

    private static uint Crc32(byte[] bytes)
    {
        // PNG's CRC-32 (ISO 3309), bit by bit: test data only, speed is irrelevant.
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }

        return crc ^ 0xFFFFFFFFu;
    }
}
