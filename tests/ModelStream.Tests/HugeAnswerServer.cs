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
/// A real Kestrel server that answers every request with one JSON object of a given length (a valid task answer padded
/// with a long string), written in chunks, and reports how many bytes it got out before the client hung up.
/// </summary>
internal sealed class HugeAnswerServer : IAsyncDisposable
{
    public const int WriteChunk = 64 * 1024;

    private readonly WebApplication _app;
    private readonly TaskCompletionSource<(long Written, bool Aborted)> _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HugeAnswerServer(WebApplication app) => _app = app;

    private int _requests;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>How many requests it received.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Completes when the server stopped writing its answer: the bytes handed to Kestrel (once the connection is gone
    /// Kestrel takes writes and discards them, so this says nothing about what reached the client), and whether it saw the abort.</summary>
    public Task<(long Written, bool Aborted)> Answered => _answered.Task;

    /// <summary>Completes when the client dropped the connection before the answer was whole (Kestrel's RequestAborted);
    /// never, when the client read, or drained, the answer to its end.</summary>
    public Task Dropped => _dropped.Task;

    /// <param name="length">The answer's length in bytes.</param>
    /// <param name="status">Its status.</param>
    /// <param name="chunked">True sends no Content-Length (chunked), so the client learns the size only by reading.</param>
    public static async Task<HugeAnswerServer> StartAsync(long length, int status = StatusCodes.Status200OK, bool chunked = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new HugeAnswerServer(app);
        app.Run(http => server.AnswerAsync(http, length, status, chunked));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    private async Task AnswerAsync(HttpContext http, long length, int status, bool chunked)
    {
        Interlocked.Increment(ref _requests);
        http.RequestAborted.Register(() => _dropped.TrySetResult());
        var head = Encoding.ASCII.GetBytes("{\"task_id\":\"abcd1234efgh\",\"status\":\"queued\",\"padding\":\"");
        var tail = "\"}"u8.ToArray();
        var padding = new byte[WriteChunk];
        padding.AsSpan().Fill((byte)'x');
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = chunked ? null : length;
        var written = 0L;
        try
        {
            // The pipe writer, not the body stream: once the connection is gone the stream's writes quietly succeed,
            // while the writer's result says the transport stopped reading (IsCompleted).
            var writer = http.Response.BodyWriter;
            if ((await writer.WriteAsync(head, http.RequestAborted)).IsCompleted)
            {
                _answered.TrySetResult((written, true));
                return;
            }

            written += head.Length;
            while (written < length - tail.Length && !http.RequestAborted.IsCancellationRequested)
            {
                var take = (int)Math.Min(padding.Length, length - tail.Length - written);
                if ((await writer.WriteAsync(padding.AsMemory(0, take), http.RequestAborted)).IsCompleted)
                {
                    _answered.TrySetResult((written, true));
                    return;
                }

                written += take;
            }

            await writer.WriteAsync(tail, http.RequestAborted);
            written += tail.Length;
            _answered.TrySetResult((written, http.RequestAborted.IsCancellationRequested));
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            _answered.TrySetResult((written, true));
        }
    }

    public async ValueTask DisposeAsync()
    {
        _answered.TrySetResult((-1, true));
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Counts the bytes the client reads from every answer body, below the client's own code and above the socket.</summary>
internal sealed class ReadCountingHandler : DelegatingHandler
{
    private long _bytesRead;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var inner = response.Content;
        var counted = new StreamContent(new CountingStream(await inner.ReadAsStreamAsync(cancellationToken), this));
        foreach (var header in inner.Headers)
        {
            counted.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = counted;
        return response;
    }

    private sealed class CountingStream(Stream inner, ReadCountingHandler counter) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Count(await inner.ReadAsync(buffer, cancellationToken));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private int Count(int read)
        {
            Interlocked.Add(ref counter._bytesRead, read);
            return read;
        }
    }
}
