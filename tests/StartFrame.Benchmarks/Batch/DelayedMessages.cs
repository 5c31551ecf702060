using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Azure.Core;
using Azure.Core.Pipeline;

namespace StartFrame.Benchmarks.Batch;

/// <summary>
/// Visibility delays on the fake clock, for every queue and whoever sets them: a message sent with a visibility delay
/// (a poll, a re-check, whatever a later queue uses), or given back after a failed delivery with one, is hidden in
/// Azurite for days instead, and noted here with the time it is due on the fake clock; the driver makes it visible
/// (<see cref="TakeDue"/>, then an uncounted update) when the clock gets there. No queue's message format is read, so a
/// queue added to the app needs nothing here. Sends and updates without a delay mark their queue as having something to
/// receive; an update without a delay of a message hidden here (the app made it visible early) also forgets it.
/// </summary>
internal sealed partial class DelayedMessages(TimeProvider clock) : HttpPipelinePolicy
{
    /// <summary>How long a delayed message hides in Azurite: far beyond any run, under the 7-day message lifetime.</summary>
    private static readonly TimeSpan Hidden = TimeSpan.FromDays(6);

    private readonly Lock _gate = new();
    private readonly List<DelayedMessage> _delayed = [];
    private readonly HashSet<string> _fresh = new(StringComparer.Ordinal);

    /// <summary>Messages hidden now, due later on the fake clock.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _delayed.Count;
            }
        }
    }

    /// <summary>The earliest due time of a hidden message, or null.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate)
            {
                return _delayed.Count == 0 ? null : _delayed.Min(m => m.Due);
            }
        }
    }

    /// <summary>Removes and returns the messages due by <paramref name="now"/>.</summary>
    public IReadOnlyList<DelayedMessage> TakeDue(DateTimeOffset now)
    {
        lock (_gate)
        {
            var due = _delayed.Where(m => m.Due <= now).ToList();
            _delayed.RemoveAll(m => m.Due <= now);
            foreach (var message in due)
            {
                _fresh.Add(message.Queue);
            }

            return due;
        }
    }

    /// <summary>Whether <paramref name="queue"/> may have visible messages since it was last found empty; clears the mark.</summary>
    public bool TakeFresh(string queue)
    {
        lock (_gate)
        {
            return _fresh.Remove(queue);
        }
    }

    /// <summary>Marks <paramref name="queue"/> as having something to receive (a full batch was received, so more may wait).</summary>
    public void MarkFresh(string queue)
    {
        lock (_gate)
        {
            _fresh.Add(queue);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var delay = Before(message);
        ProcessNext(message, pipeline);
        After(message, delay);
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var delay = Before(message);
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        After(message, delay);
    }

    /// <summary>For a send or an update with a visibility delay: hides it for days instead and returns when it is due.</summary>
    private Delay? Before(HttpMessage message)
    {
        var request = message.Request;
        var path = request.Uri.Path;
        var isSend = request.Method == RequestMethod.Post && path.EndsWith("/messages", StringComparison.Ordinal);
        var isUpdate = request.Method == RequestMethod.Put && MessagePath().IsMatch(path);
        if (!isSend && !isUpdate)
        {
            return null;
        }

        var queue = Uri.UnescapeDataString(path.TrimStart('/').Split('/')[^(isSend ? 2 : 3)]);
        var query = request.Uri.Query;
        var match = VisibilityTimeout().Match(query);
        var seconds = match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        if (seconds <= 0)
        {
            return new Delay(queue, isSend, null);
        }

        request.Uri.Query = VisibilityTimeout().Replace(query, "visibilitytimeout=" + ((int)Hidden.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        return new Delay(queue, isSend, clock.GetUtcNow() + TimeSpan.FromSeconds(seconds));
    }

    /// <summary>Notes a hidden message with its due time (its id and pop receipt from the answer), or marks its queue.</summary>
    private void After(HttpMessage message, Delay? delay)
    {
        if (delay is null || !message.HasResponse || message.Response.IsError)
        {
            return;
        }

        if (delay.Due is not { } due)
        {
            if (!delay.IsSend)
            {
                // Made visible before its time (the app woke it): it is no longer the driver's to show.
                var id = Uri.UnescapeDataString(message.Request.Uri.Path.TrimEnd('/').Split('/')[^1]);
                lock (_gate)
                {
                    _delayed.RemoveAll(m => m.Queue == delay.Queue && m.MessageId == id);
                }
            }

            MarkFresh(delay.Queue);
            return;
        }

        string messageId, popReceipt;
        if (delay.IsSend)
        {
            var sent = XDocument.Parse(message.Response.Content.ToString()).Descendants("QueueMessage").Single();
            messageId = sent.Element("MessageId")!.Value;
            popReceipt = sent.Element("PopReceipt")!.Value;
        }
        else
        {
            messageId = Uri.UnescapeDataString(message.Request.Uri.Path.TrimEnd('/').Split('/')[^1]);
            popReceipt = message.Response.Headers.TryGetValue("x-ms-popreceipt", out var receipt) ? receipt! : throw new InvalidOperationException("An update answered without a pop receipt.");
        }

        lock (_gate)
        {
            _delayed.Add(new DelayedMessage(delay.Queue, messageId, popReceipt, due));
        }
    }

    private sealed record Delay(string Queue, bool IsSend, DateTimeOffset? Due);

    [GeneratedRegex("visibilitytimeout=([0-9]+)")]
    private static partial Regex VisibilityTimeout();

    [GeneratedRegex("/messages/[^/]+$")]
    private static partial Regex MessagePath();
}

/// <summary>A message hidden in Azurite until <paramref name="Due"/> on the fake clock.</summary>
internal sealed record DelayedMessage(string Queue, string MessageId, string PopReceipt, DateTimeOffset Due);
