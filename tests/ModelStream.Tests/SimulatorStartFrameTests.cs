using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ModelStream.Simulator;
using Xunit.Abstractions;

namespace ModelStream.Tests;

/// <summary>
/// The simulator takes the start frame as ModelStream does: it fetches the image URL when the task is submitted and
/// refuses one that serves no image, and (with ffmpeg) makes the result video from that frame.
/// </summary>
public sealed class SimulatorStartFrameTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Generation = TimeSpan.FromSeconds(100);
    private static readonly HttpClient Http = new();

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    public static TheoryData<string, string> Unusable => new()
    {
        { TestImageHost.UrlOf("not-an-image.png?sig=SECRET"), "images[0] cannot be used as the start frame: the URL does not serve a PNG, JPEG or WebP image." },
        { TestImageHost.UrlOf("denied.png?sig=SECRET"), "images[0] cannot be used as the start frame: the URL answered 403 (the SAS does not grant read, or has expired) when fetched." },
        { TestImageHost.UrlOf("nothing-here.png?sig=SECRET"), "images[0] cannot be used as the start frame: the URL answered 404 (no such image) when fetched." },
        { ClosedLoopbackPort() + "frame.png?sig=SECRET", "images[0] cannot be used as the start frame: the URL could not be fetched (ConnectionError)." },
        { "ftp://images.example/frame.png", "images[0] cannot be used as the start frame: the URL is not an absolute http(s) URL." },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public async Task A_submit_whose_image_url_serves_no_image_is_refused_400_naming_images_and_issues_no_task(string imageUrl, string message)
    {
        await using var simulator = await ModelStreamSimulator.StartAsync(new SimulatorOptions { TimeProvider = _clock, MaxConcurrentTasks = 1 });

        using var refused = await SubmitAsync(simulator, imageUrl);
        using var next = await SubmitAsync(simulator, TestImageHost.FrameUrl);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var text = await refused.Content.ReadAsStringAsync();
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal("invalid_parameter", error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal("images", error["param"]!.GetValue<string>());
        Assert.Equal(message, error["message"]!.GetValue<string>());
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal); // the SAS never comes back in an answer
        Assert.Equal(HttpStatusCode.OK, next.StatusCode); // the refused submit took no place under the limit of one
    }

    [Fact]
    public async Task With_image_fetching_off_an_image_url_nothing_serves_is_accepted()
    {
        await using var simulator = await ModelStreamSimulator.StartAsync(new SimulatorOptions { TimeProvider = _clock, FetchImages = false });

        using var accepted = await SubmitAsync(simulator, "https://images.example.com/frames/cat.png");

        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [SkippableFact]
    public async Task With_ffmpeg_the_video_is_made_from_the_uploaded_frame_at_the_requested_duration_and_resolution()
    {
        Skip.IfNot(OnPath("ffmpeg") && OnPath("ffprobe"), "ffmpeg and ffprobe are not on PATH (apt-get install ffmpeg): the rendered video cannot be made or checked here.");
        var red = ((byte)220, (byte)30, (byte)30);
        var blue = ((byte)30, (byte)60, (byte)220);
        var frameUrl = TestImageHost.Serve(TestPng.Create(320, 180, (x, _) => x < 160 ? red : blue));
        await using var simulator = await ModelStreamSimulator.StartAsync(new SimulatorOptions { GenerationTime = Generation, TimeProvider = _clock, Render = SimulatedRender.On });

        using var submitted = await SubmitAsync(simulator, frameUrl, """ "duration": 3, "metadata": { "resolution": "720p" } """);
        var taskId = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["task_id"]!.GetValue<string>();
        var took = await simulator.WhenVideoReadyAsync(taskId);
        _clock.Advance(Generation);
        var url = await ResultUrlAsync(simulator, taskId);
        var video = await Http.GetByteArrayAsync(url);
        var again = await Http.GetByteArrayAsync(url);

        output.WriteLine($"rendered a 3 s 720p video of {video.Length:N0} bytes in {took?.TotalSeconds:0.00} s");
        Assert.True(simulator.RendersVideos);
        Assert.Equal(video, again); // rendered once, served as often as asked
        var file = Path.Combine(Path.GetTempPath(), $"rendered-{taskId}.mp4");
        await File.WriteAllBytesAsync(file, video);
        try
        {
            var probe = (await RunAsync("ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames", "-show_entries", "stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "default=noprint_wrappers=1", file)).Text;
            Assert.Contains("codec_name=h264", probe, StringComparison.Ordinal);
            Assert.Contains("width=1280", probe, StringComparison.Ordinal);
            Assert.Contains("height=720", probe, StringComparison.Ordinal);
            Assert.Contains("nb_read_frames=72", probe, StringComparison.Ordinal); // 3 s at 24 fps
            var duration = double.Parse(probe.Split('\n').Single(line => line.StartsWith("duration=", StringComparison.Ordinal))["duration=".Length..], CultureInfo.InvariantCulture);
            Assert.InRange(duration, 2.9, 3.1);

            // The first frame is the uploaded one before the zoom: its left half red, its right half blue.
            var pixels = (await RunAsync("ffmpeg", "-v", "error", "-i", file, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-")).Bytes;
            Assert.Equal(1280 * 720 * 3, pixels.Length);
            AssertNear(red, Average(pixels, 1280, 720, 0, 560));    // the left half, short of the seam
            AssertNear(blue, Average(pixels, 1280, 720, 720, 1280)); // the right half, short of the seam
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Without_ffmpeg_rendering_auto_serves_the_sample_video()
    {
        await using var simulator = await ModelStreamSimulator.StartAsync(new SimulatorOptions
        {
            GenerationTime = Generation,
            TimeProvider = _clock,
            Render = SimulatedRender.Auto,
            FfmpegPath = "no-such-ffmpeg-on-path",
        });

        using var submitted = await SubmitAsync(simulator, TestImageHost.FrameUrl);
        var taskId = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["task_id"]!.GetValue<string>();
        _clock.Advance(Generation);

        Assert.False(simulator.RendersVideos);
        Assert.Null(await simulator.WhenVideoReadyAsync(taskId));
        Assert.Equal(ModelStreamSimulator.SampleVideoBytes.ToArray(), await Http.GetByteArrayAsync(await ResultUrlAsync(simulator, taskId)));
    }

    [Fact]
    public async Task Rendering_on_without_ffmpeg_refuses_to_start_with_one_line()
    {
        var failure = await Assert.ThrowsAsync<ArgumentException>(() => ModelStreamSimulator.StartAsync(new SimulatorOptions { Render = SimulatedRender.On, FfmpegPath = "no-such-ffmpeg-on-path" }));

        Assert.Equal("--render on needs ffmpeg ('no-such-ffmpeg-on-path' is not on PATH; apt-get install ffmpeg), or use --render auto or off.", failure.Message);
    }

    /// <summary>The average colour of the columns [<paramref name="from"/>, <paramref name="to"/>) of an RGB frame.</summary>
    private static (byte R, byte G, byte B) Average(byte[] rgb, int width, int height, int from, int to)
    {
        long r = 0, g = 0, b = 0, count = 0;
        for (var y = 0; y < height; y++)
        {
            for (var x = from; x < to; x++)
            {
                var at = ((y * width) + x) * 3;
                r += rgb[at];
                g += rgb[at + 1];
                b += rgb[at + 2];
                count++;
            }
        }

        return ((byte)(r / count), (byte)(g / count), (byte)(b / count));
    }

    private static void AssertNear((byte R, byte G, byte B) expected, (byte R, byte G, byte B) actual)
    {
        const int Tolerance = 24; // H.264 in 4:2:0 moves colours a little, never from red to blue
        Assert.True(
            Math.Abs(expected.R - actual.R) <= Tolerance && Math.Abs(expected.G - actual.G) <= Tolerance && Math.Abs(expected.B - actual.B) <= Tolerance,
            $"expected about {expected}, the first frame has {actual}");
    }

    private static async Task<HttpResponseMessage> SubmitAsync(ModelStreamSimulator simulator, string imageUrl, string extraFields = "")
    {
        var body = $$"""{"model":"viduq2-pro-fast","images":[{{JsonValue.Create(imageUrl).ToJsonString()}}]{{(extraFields.Length > 0 ? "," + extraFields : "")}}}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(simulator.BaseAddress, "v1/video/generations"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-frames");
        return await Http.SendAsync(request);
    }

    private static async Task<string> ResultUrlAsync(ModelStreamSimulator simulator, string taskId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(simulator.BaseAddress, "v1/video/generations/" + taskId));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-frames");
        using var response = await Http.SendAsync(request);
        var poll = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("completed", poll["status"]!.GetValue<string>());
        return poll["metadata"]!["url"]!.GetValue<string>();
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(directory => File.Exists(Path.Combine(directory, tool)));

    private static async Task<(string Text, byte[] Bytes)> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var bytes = new MemoryStream();
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.BaseStream.CopyToAsync(bytes);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} exited with {process.ExitCode}: {await error}");
        return (Encoding.UTF8.GetString(bytes.ToArray()), bytes.ToArray());
    }

    /// <summary>A loopback port nobody listens on: bound to learn a free number, then released.</summary>
    private static string ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/";
    }
}
