using System.Net;
using System.Text;

namespace StartFrame.LocalDev.EventGrid;

/// <summary>
/// Delivers a BlobCreated event to the blob extension's webhook of a function app started with <c>func start</c>,
/// the way Event Grid does in Azure: <c>POST /runtime/webhooks/blobs?functionName=Host.Functions.{name}</c> with
/// <c>aeg-event-type: Notification</c> and the event array as JSON. Core Tools asks no key for the webhook locally.
/// </summary>
public sealed class LocalBlobWebhook(HttpClient http, Uri? functionsHost = null)
{
    /// <summary>Where <c>func start</c> listens by default.</summary>
    public static readonly Uri DefaultFunctionsHost = new("http://localhost:7071");

    /// <summary>The blob-triggered function (its <c>[Function]</c> name).</summary>
    public const string FunctionName = "StartFrameUploaded";

    /// <summary>Header Event Grid sets on every delivery; the extension answers 400 without it.</summary>
    public const string EventTypeHeader = "aeg-event-type";

    /// <summary>The webhook URL.</summary>
    public Uri Endpoint { get; } = new(functionsHost ?? DefaultFunctionsHost, $"/runtime/webhooks/blobs?functionName=Host.Functions.{FunctionName}");

    /// <summary>Posts <paramref name="blobCreated"/>; the extension queues it for the trigger and answers 202 Accepted.</summary>
    /// <exception cref="HttpRequestException">The host answered with an error status (the message says which and what to check).</exception>
    public async Task<HttpStatusCode> DeliverAsync(BlobCreatedEvent blobCreated, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Content = new StringContent(BlobCreatedEventBuilder.ToJson(blobCreated), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(EventTypeHeader, "Notification");

        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"The blob webhook {Endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}: is `func start` running with the {FunctionName} function indexed?",
                inner: null,
                response.StatusCode);
        }

        return response.StatusCode;
    }
}
