using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using StartFrame.Core.Uploads;

namespace StartFrame.Core.Submitting;

/// <summary>
/// Hands ModelStream a short-lived, read-only SAS URL of exactly the image bytes that were validated, and only ever
/// for a blob of the uploads container. Where the account keeps versions, the ranged read that validated the image
/// reported its version id and the SAS is signed for that version (no extra call); otherwise (Azurite has no
/// versioning) a snapshot is taken on condition that the blob still has the validated ETag, and the SAS is signed for
/// the snapshot (one call). Overwriting the blob afterwards cannot change what ModelStream downloads.
/// With an account key (Azurite) the SAS is signed locally; with a token credential it is a user-delegation SAS, whose
/// key is cached and reused until shortly before it expires so that a burst of uploads does not cost a call each.
/// </summary>
public sealed class ImageUrlIssuer(BlobServiceClient blobService, TimeProvider timeProvider) : IDisposable
{
    private static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromHours(6);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _keyGate = new(1, 1);
    private UserDelegationKey? _delegationKey;

    /// <summary>A read-only URL of the bytes of <paramref name="blob"/> that <paramref name="validated"/> describes, valid for <paramref name="lifetime"/>.</summary>
    /// <exception cref="InvalidOperationException">The blob is not in the uploads container: no SAS is ever issued for anything else.</exception>
    /// <exception cref="ImageChangedException">The blob was overwritten or deleted since it was validated.</exception>
    public async Task<Uri> IssueReadUrlAsync(BlobClient blob, UploadedImage validated, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(validated);
        // The container the client addresses, as the SDK parsed it back from the URL it built: after normalisation.
        if (blob.BlobContainerName != StartFrameOptions.UploadsContainer)
        {
            throw new InvalidOperationException($"Refusing to issue a SAS for container '{blob.BlobContainerName}': only blobs of {StartFrameOptions.UploadsContainer} are handed to ModelStream.");
        }

        var now = timeProvider.GetUtcNow();
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, now + lifetime)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            StartsOn = now - ClockSkew,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };

        BlobBaseClient target;
        if (validated.VersionId is { Length: > 0 } versionId)
        {
            target = blob.WithVersion(versionId);
            sas.BlobVersionId = versionId;
            sas.Resource = "bv";
        }
        else
        {
            var snapshot = await SnapshotAsync(blob, validated.ETag, cancellationToken).ConfigureAwait(false);
            target = blob.WithSnapshot(snapshot);
            sas.Snapshot = snapshot;
            sas.Resource = "bs";
        }

        if (target.CanGenerateSasUri)
        {
            return target.GenerateSasUri(sas);
        }

        var key = await GetDelegationKeyAsync(now + lifetime, cancellationToken).ConfigureAwait(false);
        return new BlobUriBuilder(target.Uri) { Sas = sas.ToSasQueryParameters(key, blobService.AccountName) }.ToUri();
    }

    private static async Task<string> SnapshotAsync(BlobClient blob, string etag, CancellationToken cancellationToken)
    {
        try
        {
            var conditions = new BlobRequestConditions { IfMatch = new ETag(etag) };
            return (await blob.CreateSnapshotAsync(conditions: conditions, cancellationToken: cancellationToken).ConfigureAwait(false)).Value.Snapshot;
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            throw new ImageChangedException(
                ex.Status == 404
                    ? $"{blob.BlobContainerName}/{blob.Name} was deleted after it was validated; nothing was sent."
                    : $"{blob.BlobContainerName}/{blob.Name} was overwritten after it was validated; nothing was sent (its new content is processed as its own upload).",
                ex);
        }
    }

    private async Task<UserDelegationKey> GetDelegationKeyAsync(DateTimeOffset mustCover, CancellationToken cancellationToken)
    {
        await _keyGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_delegationKey is null || _delegationKey.SignedExpiresOn < mustCover)
            {
                var now = timeProvider.GetUtcNow();
                var response = await blobService.GetUserDelegationKeyAsync(now - ClockSkew, now + DelegationKeyLifetime, cancellationToken).ConfigureAwait(false);
                _delegationKey = response.Value;
            }

            return _delegationKey;
        }
        finally
        {
            _keyGate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _keyGate.Dispose();
}
