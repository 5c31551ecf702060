using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelStream.Tests;

/// <summary>
/// A real Kestrel server, one per test process, that serves start frames as a storage account would, so the simulator's
/// fetch of <c>images[0]</c> is a real request: <c>/start-frames/{name}.png</c> is a PNG, <c>/not-an-image.png</c> is HTML
/// answered 200, <c>/denied.png</c> answers 403 as an expired SAS would.
/// </summary>
internal static class TestImageHost
{
    private static readonly Lazy<Uri> Root = new(Start);

    /// <summary>The PNG every test submits unless it is about the image: 64x36, one colour.</summary>
    public static byte[] Frame { get; } = TestPng.Create(64, 36, (_, _) => (40, 120, 200));

    /// <summary>A start frame the simulator can fetch, with a SAS-like query as the app sends.</summary>
    public static string FrameUrl => new Uri(Root.Value, "start-frames/astronaut.png?sig=abc").AbsoluteUri;

    /// <summary>A URL under the host, e.g. <c>not-an-image.png</c> or <c>denied.png</c>.</summary>
    public static string UrlOf(string path) => new Uri(Root.Value, path).AbsoluteUri;

    /// <summary>Serves <paramref name="image"/> at a URL of its own until the process ends.</summary>
    public static string Serve(byte[] image)
    {
        var name = Guid.NewGuid().ToString("N");
        Served[name] = image;
        return UrlOf($"served/{name}.png");
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> Served = new();

    private static Uri Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/start-frames/{name}", () => Results.Bytes(Frame, "image/png"));
        app.MapGet("/served/{name}.png", (string name) => Served.TryGetValue(name, out var image) ? Results.Bytes(image, "image/png") : Results.NotFound());
        app.MapGet("/not-an-image.png", () => Results.Text("<html><body>Sign in to continue</body></html>", "text/html", Encoding.UTF8));
        app.MapGet("/denied.png", () => Results.Text("<Error><Code>AuthenticationFailed</Code></Error>", "application/xml", Encoding.UTF8, StatusCodes.Status403Forbidden));
        app.StartAsync().GetAwaiter().GetResult(); // once per process, from a property getter
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }
}

/// <summary>Writes small RGB PNGs, so a test knows every pixel of the frame it submits.</summary>
internal static class TestPng
{
    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++)
        {
            c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }

        return c;
    }).ToArray();

    public static byte[] Create(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
    {
        var raw = new byte[height * (1 + (width * 3))];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + (width * 3)); // each row starts with filter type 0 (none)
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = pixel(x, y);
                raw[row + 1 + (x * 3)] = r;
                raw[row + 2 + (x * 3)] = g;
                raw[row + 3 + (x * 3)] = b;
            }
        }

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(raw);
        }

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type RGB

        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> four = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(four, data.Length);
        png.Write(four);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        var crc = 0xFFFFFFFFu;
        foreach (var b in typed)
        {
            crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        BinaryPrimitives.WriteUInt32BigEndian(four, crc ^ 0xFFFFFFFFu);
        png.Write(four);
    }
}
