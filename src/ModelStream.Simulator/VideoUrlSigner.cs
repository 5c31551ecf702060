using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ModelStream.Simulator;

/// <summary>
/// Signs result URLs as a storage service would: <c>…/{taskId}.mp4?se=&lt;unix expiry&gt;&amp;sig=&lt;HMAC&gt;</c> with a key
/// made per simulator, so a URL cannot be forged or stretched, and one that has expired answers 403.
/// </summary>
internal sealed class VideoUrlSigner
{
    public const string PathPrefix = "/_simulator/videos/";

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public Uri Sign(Uri root, string taskId, DateTimeOffset expiresAt)
    {
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new Uri(root, $"{PathPrefix.TrimStart('/')}{taskId}.mp4?se={expiry}&sig={Signature(taskId, expiry)}");
    }

    /// <summary>True when <paramref name="signature"/> is this simulator's for the task and expiry (whatever the time).</summary>
    public bool IsGenuine(string taskId, string? expiry, string? signature) =>
        expiry is not null && signature is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Signature(taskId, expiry)), Encoding.ASCII.GetBytes(signature));

    private string Signature(string taskId, string expiry) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(taskId + "\n" + expiry)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
