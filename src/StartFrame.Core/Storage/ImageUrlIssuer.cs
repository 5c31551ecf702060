using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;

namespace StartFrame.Core.Storage;

/// <summary>
/// Hands ModelStream a short-lived, read-only SAS URL of one image. With an account key (Azurite) the SAS is
/// signed locally; with a token credential it is a user-delegation SAS, whose key is cached and reused until
/// shortly before it expires so that a burst of uploads does not cost one extra storage call each.
/// </summary>
public sealed class ImageUrlIssuer(BlobServiceClient blobService, TimeProvider timeProvider) : IDisposable
{
    private static readonly TimeSpan DelegationKeyLifetime = TimeSpan.FromHours(6);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);
    private readonly SemaphoreSlim _keyGate = new(1, 1);
    private UserDelegationKey? _delegationKey;

    /// <summary>A read-only URL of <paramref name="blob"/> valid for <paramref name="lifetime"/>.</summary>
    public async Task<Uri> IssueReadUrlAsync(BlobClient blob, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var now = timeProvider.GetUtcNow();
        var sas = new BlobSasBuilder(BlobSasPermissions.Read, now + lifetime)
        {
            BlobContainerName = blob.BlobContainerName,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now - ClockSkew,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };

        if (blob.CanGenerateSasUri)
        {
            return blob.GenerateSasUri(sas);
        }

        var key = await GetDelegationKeyAsync(now + lifetime, cancellationToken).ConfigureAwait(false);
        var builder = new BlobUriBuilder(blob.Uri) { Sas = sas.ToSasQueryParameters(key, blobService.AccountName) };
        return builder.ToUri();
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
