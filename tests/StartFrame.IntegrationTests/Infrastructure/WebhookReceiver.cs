using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>
/// A real Kestrel endpoint at the blob extension's webhook path that answers as the extension does (the handshake echoes
/// the validation code, a notification gets 202) and records every request; it can refuse the first deliveries, or
/// answer the handshake wrongly, to test what Event Grid does about it.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<Received> _requests = [];
    private readonly List<(Func<IReadOnlyList<Received>, bool> Match, TaskCompletionSource Done)> _waiters = [];
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app, int failFirst, int failStatus, bool wrongValidationCode)
    {
        _app = app;
        _failuresLeft = failFirst;
        app.MapPost("/runtime/webhooks/blobs", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var received = new Received(
                context.Request.Headers["aeg-event-type"].ToString(),
                context.Request.Headers["aeg-delivery-count"].ToString(),
                context.Request.Headers["aeg-subscription-name"].ToString(),
                context.Request.Query["functionName"].ToString(),
                context.Request.ContentType is { } type ? System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type).MediaType ?? "" : "",
                body);
            Record(received);
            if (received.EventType == "SubscriptionValidation")
            {
                var code = JsonNode.Parse(body)![0]!["data"]!["validationCode"]!.GetValue<string>();
                return Results.Json(new JsonObject { ["validationResponse"] = wrongValidationCode ? "not-" + code : code });
            }

            return Interlocked.Decrement(ref _failuresLeft) >= 0 ? Results.StatusCode(failStatus) : Results.StatusCode(202);
        });
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<Received> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<Received> Notifications => Requests.Where(r => r.EventType == "Notification").ToList();

    /// <summary>Starts on <paramref name="port"/> (0: a free one); the first <paramref name="failFirst"/> notifications get <paramref name="failStatus"/>.</summary>
    public static async Task<WebhookReceiver> StartAsync(int port = 0, int failFirst = 0, int failStatus = 503, bool wrongValidationCode = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var receiver = new WebhookReceiver(builder.Build(), failFirst, failStatus, wrongValidationCode);
        await receiver._app.StartAsync();
        var address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address.TrimEnd('/') + "/");
        return receiver;
    }

    /// <summary>Completes once the requests received so far satisfy <paramref name="match"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<Received>, bool> match, string what)
    {
        TaskCompletionSource done;
        lock (_requests)
        {
            if (match(_requests))
            {
                return;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
        }

        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Never received {what}; got {Requests.Count} request(s): {string.Join(" | ", Requests.Select(r => r.EventType + " " + r.Body))}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Record(Received received)
    {
        lock (_requests)
        {
            _requests.Add(received);
            foreach (var waiter in _waiters.Where(w => w.Match(_requests)).ToList())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public sealed record Received(string EventType, string DeliveryCount, string SubscriptionName, string FunctionName, string MediaType, string Body)
    {
        public JsonObject Event => JsonNode.Parse(Body)![0]!.AsObject();
    }
}
