using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StartFrame.LocalDev;

namespace StartFrame.IntegrationTests.Cli;

/// <summary>
/// A pass-through proxy in front of Azurite's blob service that logs every request as it starts ("&gt; PUT /path")
/// and as it completes ("&lt; 201 PUT /path"): the storage request log of a CLI running as another process, so a
/// test can prove one upload finished before the next began. Shared Key signatures survive it (they do not cover the host).
/// </summary>
internal sealed class StorageRequestLog : IAsyncDisposable
{
    private static readonly HashSet<string> s_hopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Expect", "Content-Length",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _azurite;
    private readonly ConcurrentQueue<string> _lines = new();

    private StorageRequestLog(WebApplication app, HttpClient azurite)
    {
        _app = app;
        _azurite = azurite;
    }

    /// <summary>Every request, in the order its start or end was seen.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    public int Port { get; private set; }

    public static async Task<StorageRequestLog> StartAsync(AzuriteServer azurite)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{azurite.BlobPort}"),
        };
        var log = new StorageRequestLog(app, client);
        app.Run(log.ForwardAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        log.Port = new Uri(address).Port;
        return log;
    }

    /// <summary><paramref name="azurite"/>'s connection string with the blob endpoint going through this proxy.</summary>
    public string ConnectionString(AzuriteServer azurite)
        => azurite.ConnectionString.Replace($"127.0.0.1:{azurite.BlobPort}/", $"127.0.0.1:{Port}/", StringComparison.Ordinal);

    /// <summary>The position of the first line equal to <paramref name="line"/>, or -1.</summary>
    public int IndexOf(string line) => Lines.ToList().IndexOf(line);

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var what = $"{request.Method} {request.Path}";
        _lines.Enqueue("> " + what);

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString);
        if (body.Length > 0 || request.ContentLength is not null)
        {
            message.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in request.Headers.Where(h => !s_hopByHop.Contains(h.Key)))
        {
            if (!message.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var response = await _azurite.SendAsync(message, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers).Where(h => !s_hopByHop.Contains(h.Key) || h.Key == "Content-Length"))
        {
            context.Response.Headers[name] = values.ToArray();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        _lines.Enqueue($"< {(int)response.StatusCode} {what}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _azurite.Dispose();
    }
}
