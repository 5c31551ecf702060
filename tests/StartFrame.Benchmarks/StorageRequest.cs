using StartFrame.Core;
using StartFrame.LocalDev;

namespace StartFrame.Benchmarks;

/// <summary>One request a storage client sent: enough to say which operation it was.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Port">Azurite port, which tells the service (each has its own).</param>
/// <param name="Path">Unescaped path, without the query.</param>
/// <param name="Range">The byte range asked for, if any.</param>
/// <param name="Status">The answer's status; 0 when none came.</param>
internal sealed record StorageRequest(string Method, int Port, string Path, string? Range, int Status)
{
    /// <summary>The operation, named as the issue names it, and the request's shape with the upload's own name elided.</summary>
    public (string Operation, string Shape) Describe(AzuriteServer azurite)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        var service = Port == azurite.BlobPort ? "blob" : Port == azurite.QueuePort ? "queue" : Port == azurite.TablePort ? "table" : "?";
        var ranged = Range is null ? "" : $", {Range}";
        var shape = $"{Method} {service} {Elide(Path)}{ranged} → {Status}";
        var operation = (service, Method) switch
        {
            ("blob", "GET") when Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) => Range is null ? "sidecar GET" : "sidecar GET (ranged)",
            ("blob", "GET") => Range is null ? "image GET (whole blob)" : "image GET (ranged)",
            ("blob", "HEAD") => "blob properties HEAD",
            ("blob", "PUT") when Path.Contains("/videos/", StringComparison.Ordinal) => "video Put Blob",
            ("blob", "PUT") => "image snapshot PUT (If-Match the validated ETag)",
            ("table", "POST") => "ledger claim POST (insert)",
            ("table", "PUT") => "ledger outcome PUT (replace)",
            ("table", "MERGE" or "PATCH") => "ledger MERGE",
            ("table", "GET") => "ledger read GET",
            ("queue", "POST") => "queue message POST",
            ("queue", "GET") => "queue receive GET (the host's)",
            ("queue", "DELETE") => "queue message DELETE (the host's)",
            _ => $"{service} {Method}",
        };
        return (operation, shape);
    }

    private static string Elide(string path)
    {
        // "/devstoreaccount1/start-frames/p1/00003.png" → "/start-frames/{upload}.png": one shape per operation.
        var parts = path.Split('/', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return path;
        }

        var rest = parts.Length == 3 ? parts[2] : "";
        if (parts[1] == StartFrameOptions.UploadsContainer)
        {
            return $"/{parts[1]}/{{upload}}{System.IO.Path.GetExtension(rest)}";
        }

        if (parts[1] == StartFrameOptions.VideosContainer)
        {
            return $"/{parts[1]}/{{video}}.mp4";
        }

        if (rest.StartsWith("messages/", StringComparison.Ordinal))
        {
            return $"/{parts[1]}/messages/{{id}}";
        }

        if (parts[1].StartsWith(StartFrameOptions.LedgerTable + "(", StringComparison.Ordinal))
        {
            return $"/{StartFrameOptions.LedgerTable}(PartitionKey,RowKey)";
        }

        return rest.Length == 0 ? $"/{parts[1]}" : $"/{parts[1]}/{rest}";
    }
}
