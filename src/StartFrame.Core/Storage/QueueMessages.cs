using Azure.Storage.Queues;

namespace StartFrame.Core.Storage;

/// <summary>
/// How every StartFrame queue message is encoded: base64, what a default Functions queue trigger reads
/// (host.json <c>messageEncoding</c>). One place, so the core, the CLI and the demo cannot drift apart.
/// </summary>
public static class QueueMessages
{
    /// <summary>The encoding of task records, failure records and submissions.</summary>
    public const QueueMessageEncoding Encoding = QueueMessageEncoding.Base64;

    /// <summary>Client options with <see cref="Encoding"/>.</summary>
    public static QueueClientOptions ClientOptions() => new() { MessageEncoding = Encoding };
}
