using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace StartFrame.Core.Tests.Images;

/// <summary>Builds tiny but structurally real image files in memory, so the header tests need no fixtures on disk.</summary>
internal static class TestImages
{
    public static byte[] Png(int width, int height)
    {
        using var file = new MemoryStream();
        file.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);

        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 0;  // greyscale: one byte per pixel keeps big canvases cheap
        WritePngChunk(file, "IHDR", ihdr);

        using (var pixels = new MemoryStream())
        {
            using (var zlib = new ZLibStream(pixels, CompressionLevel.Fastest, leaveOpen: true))
            {
                var row = new byte[width + 1]; // filter byte + one grey byte per pixel
                for (var y = 0; y < height; y++)
                {
                    zlib.Write(row);
                }
            }
            WritePngChunk(file, "IDAT", pixels.ToArray());
        }
        WritePngChunk(file, "IEND", []);
        return file.ToArray();
    }

    /// <summary>
    /// A JPEG header (SOI, APP0, optional APP1/APP2 padding, DQT, SOF, DHT, SOS) plus a few scan bytes.
    /// <paramref name="metadataBytes"/> of EXIF/ICC-like segments sit before the SOF, as big cameras write them;
    /// <paramref name="sofMarker"/> picks the frame type (0xC0 baseline, 0xC2 progressive).
    /// </summary>
    public static byte[] Jpeg(int width, int height, int metadataBytes = 0, byte sofMarker = 0xC0)
    {
        using var file = new MemoryStream();
        file.Write([0xFF, 0xD8]);
        WriteJpegSegment(file, 0xE0, [(byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);

        var remaining = metadataBytes;
        var exif = true;
        while (remaining > 0)
        {
            var size = Math.Min(remaining, 65_000);
            var payload = new byte[size];
            Encoding.ASCII.GetBytes(exif ? "Exif\0\0" : "ICC_PROFILE\0").AsSpan(0, Math.Min(size, exif ? 6 : 12)).CopyTo(payload);
            WriteJpegSegment(file, exif ? (byte)0xE1 : (byte)0xE2, payload);
            remaining -= size;
            exif = false;
        }

        var dqt = new byte[65];
        WriteJpegSegment(file, 0xDB, dqt);

        var sof = new byte[15];
        sof[0] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(1), (ushort)height);
        BinaryPrimitives.WriteUInt16BigEndian(sof.AsSpan(3), (ushort)width);
        sof[5] = 3;
        for (var c = 0; c < 3; c++)
        {
            sof[6 + (c * 3)] = (byte)(c + 1);
            sof[7 + (c * 3)] = 0x11;
            sof[8 + (c * 3)] = 0;
        }
        WriteJpegSegment(file, sofMarker, sof);

        var dht = new byte[1 + 16 + 1];
        dht[1] = 1; // one code of length 1
        WriteJpegSegment(file, 0xC4, dht);

        WriteJpegSegment(file, 0xDA, [3, 1, 0, 2, 0, 3, 0, 0, 63, 0]);
        file.Write([0x12, 0x34, 0x56, 0x78, 0xFF, 0xD9]);
        return file.ToArray();
    }

    /// <summary>A lossy WebP: RIFF, a <c>VP8 </c> chunk with a key-frame header.</summary>
    public static byte[] WebPLossy(int width, int height)
    {
        var frame = new byte[30];
        // frame tag: key frame, version 0, shown, first partition size (any)
        frame[0] = 0x10; frame[1] = 0x02; frame[2] = 0x00;
        frame[3] = 0x9D; frame[4] = 0x01; frame[5] = 0x2A;
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(6), (ushort)(width & 0x3FFF));
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(8), (ushort)(height & 0x3FFF));
        return Riff(("VP8 ", frame));
    }

    /// <summary>A lossless WebP: RIFF, a <c>VP8L</c> chunk with its 14-bit width-1/height-1 fields.</summary>
    public static byte[] WebPLossless(int width, int height)
    {
        var frame = new byte[20];
        frame[0] = 0x2F;
        var bits = (uint)(width - 1) | ((uint)(height - 1) << 14);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(1), bits);
        return Riff(("VP8L", frame));
    }

    /// <summary>An extended WebP: RIFF, a <c>VP8X</c> chunk with the 24-bit canvas size, then the image's <c>VP8 </c> chunk.</summary>
    public static byte[] WebPExtended(int width, int height)
    {
        var vp8x = new byte[10];
        vp8x[0] = 0x10; // alpha flag, as an encoder writes for a transparent image
        WriteUInt24LittleEndian(vp8x.AsSpan(4), width - 1);
        WriteUInt24LittleEndian(vp8x.AsSpan(7), height - 1);
        var lossy = WebPLossy(Math.Min(width, 16383), Math.Min(height, 16383));
        return Riff(("VP8X", vp8x), ("VP8 ", lossy.AsSpan(20).ToArray()));
    }

    public static byte[] Gif(int width, int height)
    {
        var bytes = new byte[13];
        Encoding.ASCII.GetBytes("GIF89a").CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(6), (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)height);
        return bytes;
    }

    private static byte[] Riff(params (string FourCc, byte[] Payload)[] chunks)
    {
        using var body = new MemoryStream();
        body.Write(Encoding.ASCII.GetBytes("WEBP"));
        foreach (var (fourCc, payload) in chunks)
        {
            body.Write(Encoding.ASCII.GetBytes(fourCc));
            var size = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(size, payload.Length);
            body.Write(size);
            body.Write(payload);
            if (payload.Length % 2 == 1)
            {
                body.WriteByte(0);
            }
        }
        using var file = new MemoryStream();
        file.Write(Encoding.ASCII.GetBytes("RIFF"));
        var riffSize = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(riffSize, (int)body.Length);
        file.Write(riffSize);
        body.Position = 0;
        body.CopyTo(file);
        return file.ToArray();
    }

    private static void WriteUInt24LittleEndian(Span<byte> destination, int value)
    {
        destination[0] = (byte)value;
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)(value >> 16);
    }

    private static void WriteJpegSegment(Stream file, byte marker, byte[] payload)
    {
        file.Write([0xFF, marker]);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)(payload.Length + 2));
        file.Write(length);
        file.Write(payload);
    }

    private static void WritePngChunk(Stream file, string type, byte[] data)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        Encoding.ASCII.GetBytes(type).CopyTo(header, 4);
        file.Write(header);
        file.Write(data);
        var crc = Crc32(header.AsSpan(4), data);
        var crcBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
        file.Write(crcBytes);
    }

    private static uint Crc32(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in type)
        {
            crc = Step(crc, b);
        }
        foreach (var b in data)
        {
            crc = Step(crc, b);
        }
        return crc ^ 0xFFFFFFFFu;

        static uint Step(uint crc, byte b)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
            return crc;
        }
    }
}
