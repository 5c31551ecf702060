using System.Globalization;
using System.Net;
using System.Text;

namespace StartFrame.LocalDev.EventGrid;

/// <summary>
/// The blob extension's webhook of a function app started with <c>func start</c>, posted to the way Event Grid posts:
/// <c>POST /runtime/webhooks/blobs?functionName=Host.Functions.{name}</c> with the <c>aeg-*</c> headers and the event
/// array as JSON. Core Tools asks no key for the webhook locally.
/// </summary>
public sealed class LocalBlobWebhook(HttpClient http, Uri? functionsHost = null)
{
    /// <summary>Where <c>func start</c> listens by default.</summary>
    public static readonly Uri DefaultFunctionsHost = new("http://localhost:7071");

    /// <summary>The blob-triggered function (its <c>[Function]</c> name).</summary>
    public const string FunctionName = "StartFrameUploaded";

    /// <summary>Header Event Grid sets on every delivery; the extension answers 400 without it.</summary>
    public const string EventTypeHeader = "aeg-event-type";

    /// <summary><see cref="EventTypeHeader"/> of an event delivery.</summary>
    public const string Notification = "Notification";

    /// <summary><see cref="EventTypeHeader"/> of the subscription handshake.</summary>
    public const string SubscriptionValidation = "SubscriptionValidation";

    /// <summary>The subscription's name as Event Grid sends it (upper case) in <c>aeg-subscription-name</c>: the one
    /// <c>infra/hooks/postdeploy.sh</c> creates in Azure.</summary>
    public const string SubscriptionName = "START-FRAMES-BLOB-CREATED";

    /// <summary>The webhook URL.</summary>
    public Uri Endpoint { get; } = new(functionsHost ?? DefaultFunctionsHost, $"/runtime/webhooks/blobs?functionName=Host.Functions.{FunctionName}");

    /// <summary>Posts <paramref name="blobCreated"/> once; the extension queues it for the trigger and answers 202 Accepted.</summary>
    /// <exception cref="HttpRequestException">The host answered with an error status (the message says which and what to check).</exception>
    public async Task<HttpStatusCode> DeliverAsync(BlobCreatedEvent blobCreated, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(Notification, BlobCreatedEventBuilder.ToJson(blobCreated), 0, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The blob webhook {Endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: is `func start` running with the {FunctionName} function indexed?",
                inner: null,
                response.StatusCode);
        }

        return response.StatusCode;
    }

    /// <summary>Posts <paramref name="body"/> (an event array) with the headers Event Grid sets; the caller reads and disposes the answer.</summary>
    /// <param name="eventType"><see cref="Notification"/> or <see cref="SubscriptionValidation"/>.</param>
    /// <param name="body">The JSON array of events.</param>
    /// <param name="deliveryCount">Earlier attempts at this delivery (<c>aeg-delivery-count</c>: 0 on the first).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<HttpResponseMessage> SendAsync(string eventType, string body, int deliveryCount, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(EventTypeHeader, eventType);
        request.Headers.Add("aeg-subscription-name", SubscriptionName);
        request.Headers.Add("aeg-delivery-count", deliveryCount.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("aeg-metadata-version", "1");
        return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
