using System.Globalization;
using System.Net;
using System.Text.Json;

namespace StartFrame.LocalDev.EventGrid;

/// <summary>
/// Event Grid's delivery side, played locally against the blob extension's webhook: the subscription handshake first,
/// then each event at least once — a failed attempt (no connection, no answer within the attempt timeout, or any status
/// but 2xx) is tried again on <see cref="DeliveryRetrySchedule"/> with the same event (same id), except the answers
/// Event Grid never retries for a webhook (400, 401, 403, 413), which give the event up as Event Grid would dead-letter it.
/// </summary>
/// <param name="webhook">Where to post.</param>
/// <param name="schedule">When to try again; <see cref="DeliveryRetrySchedule.Local"/> when null.</param>
/// <param name="log">Told of each failed attempt and when the next comes.</param>
/// <param name="timeProvider">The clock for the waits between attempts.</param>
public sealed class EventGridDelivery(LocalBlobWebhook webhook, DeliveryRetrySchedule? schedule = null, Action<string>? log = null, TimeProvider? timeProvider = null)
{
    private static readonly HashSet<HttpStatusCode> NeverRetried =
        [HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.RequestEntityTooLarge];

    private readonly DeliveryRetrySchedule _schedule = schedule ?? DeliveryRetrySchedule.Local;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>
    /// The synchronous handshake Event Grid makes when a webhook subscription is created: posts a
    /// <c>SubscriptionValidationEvent</c> for <paramref name="topic"/> (retried like an event while the host starts) and
    /// checks that the answer echoes its validation code.
    /// </summary>
    /// <exception cref="InvalidOperationException">The webhook refused the handshake or answered another code; the message says which.</exception>
    public async Task ValidateSubscriptionAsync(string topic, CancellationToken cancellationToken)
    {
        var code = Guid.NewGuid().ToString("D");
        var handshake = SubscriptionValidationEvent.Create(topic, code, _time.GetUtcNow());
        var body = JsonSerializer.Serialize([handshake], EventGridJsonContext.Default.SubscriptionValidationEventArray);
        string? answer = null;
        var result = await SendWithRetriesAsync(LocalBlobWebhook.SubscriptionValidation, body, handshake.Id, "subscription handshake", async response =>
        {
            answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        if (!result.Delivered)
        {
            throw new InvalidOperationException(
                $"The blob webhook {webhook.Endpoint} did not complete Event Grid's subscription handshake ({result.LastOutcome} after {result.Attempts} attempts).");
        }

        if (!string.Equals(EchoedCode(answer), code, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The blob webhook {webhook.Endpoint} answered the subscription handshake without echoing its validationCode; Event Grid would not create the subscription.");
        }
    }

    /// <summary>Delivers <paramref name="blobCreated"/> until the webhook accepts it, the schedule runs out or the answer is one Event Grid never retries.</summary>
    public Task<DeliveryResult> DeliverAsync(BlobCreatedEvent blobCreated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobCreated);
        return SendWithRetriesAsync(
            LocalBlobWebhook.Notification, BlobCreatedEventBuilder.ToJson(blobCreated), blobCreated.Id, blobCreated.Subject, _ => Task.CompletedTask, cancellationToken);
    }

    private async Task<DeliveryResult> SendWithRetriesAsync(
        string eventType, string body, string eventId, string what, Func<HttpResponseMessage, Task> onAccepted, CancellationToken cancellationToken)
    {
        var outcome = "";
        for (var attempt = 1; attempt <= _schedule.MaxAttempts; attempt++)
        {
            if (attempt > 1)
            {
                var wait = _schedule.DelayBefore(attempt);
                log?.Invoke(string.Create(CultureInfo.InvariantCulture, $"Event Grid: {what}: attempt {attempt - 1} failed ({outcome}); next attempt in {wait.TotalSeconds:0.#} s"));
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }

            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_schedule.AttemptTimeout);
            try
            {
                using var response = await webhook.SendAsync(eventType, body, attempt - 1, attemptTimeout.Token).ConfigureAwait(false);
                outcome = $"{(int)response.StatusCode} {response.ReasonPhrase}";
                if (response.IsSuccessStatusCode)
                {
                    await onAccepted(response).ConfigureAwait(false);
                    return new DeliveryResult(eventId, true, attempt, outcome);
                }

                if (NeverRetried.Contains(response.StatusCode))
                {
                    return new DeliveryResult(eventId, false, attempt, outcome + " (Event Grid does not retry it)");
                }
            }
            catch (HttpRequestException ex)
            {
                outcome = "no connection: " + ex.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                outcome = string.Create(CultureInfo.InvariantCulture, $"no answer within {_schedule.AttemptTimeout.TotalSeconds:0} s");
            }
        }

        return new DeliveryResult(eventId, false, _schedule.MaxAttempts, outcome);
    }

    private static string? EchoedCode(string? answer)
    {
        try
        {
            return answer is null ? null : JsonSerializer.Deserialize(answer, EventGridJsonContext.Default.SubscriptionValidationResponse)?.ValidationResponse;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
