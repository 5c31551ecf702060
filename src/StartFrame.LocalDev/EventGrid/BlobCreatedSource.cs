namespace StartFrame.LocalDev.EventGrid;

/// <summary>What the local loop knows of a blob it just uploaded: the facts a real BlobCreated event carries.</summary>
/// <param name="AccountName">Storage account name (<c>devstoreaccount1</c> on Azurite).</param>
/// <param name="Container">Container name, e.g. <c>start-frames</c>.</param>
/// <param name="BlobName">Blob name, unencoded, e.g. <c>a/b/cat.png</c>.</param>
/// <param name="Url">The blob's URL without query (Azurite: <c>http://127.0.0.1:10000/devstoreaccount1/start-frames/a/b/cat.png</c>).</param>
/// <param name="ETag">The blob's ETag, quoted or not.</param>
/// <param name="ContentType">The blob's content type.</param>
/// <param name="ContentLength">The blob's length in bytes.</param>
public sealed record BlobCreatedSource(
    string AccountName,
    string Container,
    string BlobName,
    Uri Url,
    string ETag,
    string ContentType,
    long ContentLength);
