namespace StartFrame.Core.Ledger;

/// <summary>
/// The identity of one submission in the ledger. Table keys forbid <c>/ \ # ?</c>, so the readable part is
/// percent-escaped rather than hashed: an operator can still find a blob's row by eye.
/// </summary>
public readonly record struct LedgerKey(string PartitionKey, string RowKey)
{
    private const string NoEtag = "-";

    /// <summary>An image blob at one ETag: a re-upload with new content is a new submission.</summary>
    public static LedgerKey ForBlob(string container, string blobName, string etag) =>
        new("b:" + Uri.EscapeDataString($"{container}/{blobName}"), EscapeEtag(etag));

    /// <summary>A caller's idempotency key (HTTP <c>Idempotency-Key</c>, queue <c>idempotencyKey</c>).</summary>
    public static LedgerKey ForIdempotencyKey(string key) => new("k:" + Uri.EscapeDataString(key), NoEtag);

    private static string EscapeEtag(string etag) => Uri.EscapeDataString(etag.Trim('"'));

    /// <inheritdoc />
    public override string ToString() => $"{PartitionKey}/{RowKey}";
}
