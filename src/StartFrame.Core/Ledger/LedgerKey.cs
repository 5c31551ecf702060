using System.Security.Cryptography;
using System.Text;

namespace StartFrame.Core.Ledger;

/// <summary>
/// The identity of one submission in the ledger, as fixed-length keys: a blob name may be 1,024 characters of any
/// script and an idempotency key 200, while a table key may hold 1 KiB in Azure and 512 characters in Azurite, and
/// forbids <c>/ \ # ?</c> and control characters. So the readable part is hashed (SHA-256, hex) and kept as a
/// property of the entry (<see cref="LedgerEntry.Container"/>/<see cref="LedgerEntry.Blob"/>,
/// <see cref="LedgerEntry.IdempotencyKey"/>) for people to read.
/// </summary>
public readonly record struct LedgerKey(string PartitionKey, string RowKey)
{
    private const string NoRow = "-";
    private const string ArchivedTakeMark = ".take-";

    /// <summary>The longest key the table accepts, in characters (1 KiB of UTF-16).</summary>
    public const int MaxKeyLength = 512;

    /// <summary>What the table would refuse in a partition or row key read from elsewhere (a debt marker), or null: the
    /// service's rules — no '/', '\', '#', '?', no control characters, at most <see cref="MaxKeyLength"/> characters.</summary>
    public static string? Problem(string? partitionKey, string? rowKey)
    {
        foreach (var (name, key) in new[] { ("partition key", partitionKey), ("row key", rowKey) })
        {
            if (key is null)
            {
                return $"its {name} is missing";
            }

            if (key.Length > MaxKeyLength)
            {
                return $"its {name} is {key.Length:N0} characters long; the table takes at most {MaxKeyLength}";
            }

            if (key.AsSpan().IndexOfAny("/\\#?") >= 0 || key.Any(char.IsControl))
            {
                return $"its {name} holds '/', '\\', '#', '?' or a control character, which the table refuses";
            }
        }

        return null;
    }

    /// <summary>An upload: the image blob's name, and what its image and sidecar contain (<see cref="UploadIdentity"/>).</summary>
    public static LedgerKey ForUpload(string container, string blobName, UploadIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new(UploadPartition(container, blobName), identity.RowKey);
    }

    /// <summary>The partition of every upload of one blob name, whatever its content: one row per take.</summary>
    public static string UploadPartition(string container, string blobName) => "b:" + Hash($"{container}/{blobName}");

    /// <summary>A caller's idempotency key (HTTP <c>Idempotency-Key</c>, queue <c>idempotencyKey</c>).</summary>
    public static LedgerKey ForIdempotencyKey(string key) => new("k:" + Hash(key), NoRow);

    /// <summary>
    /// Where a recorded take is kept when its entry is taken again (<c>redrive --again</c>): same partition, its own row
    /// named after its task, so the first task stays findable, and its tracking can still finish it.
    /// </summary>
    public static LedgerKey ArchivedTake(string partitionKey, string rowKey, string taskId) =>
        new(partitionKey, $"{rowKey}{ArchivedTakeMark}{Hash(taskId)[..16]}");

    /// <summary>True for the row key of an archived take (<see cref="ArchivedTake"/>).</summary>
    public static bool IsArchivedTake(string rowKey) => rowKey.Contains(ArchivedTakeMark, StringComparison.Ordinal);

    /// <summary>The lower-case hex SHA-256 of the UTF-8 text.</summary>
    internal static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <inheritdoc />
    public override string ToString() => $"{PartitionKey}/{RowKey}";
}
