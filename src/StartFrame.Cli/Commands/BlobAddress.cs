using Azure.Storage.Blobs;

namespace StartFrame.Cli.Commands;

/// <summary>A <c>container/blob</c> argument, as the commands take it.</summary>
internal static class BlobAddress
{
    /// <summary>Splits at the first '/'; false (with a message) when there is no container or no name.</summary>
    public static bool TryResolve(BlobServiceClient service, string address, out BlobClient? blob, out string error)
    {
        var slash = address.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == address.Length - 1)
        {
            blob = null;
            error = $"'{address}' is not <container>/<blob> (e.g. start-frames/cats/cat.png).";
            return false;
        }

        blob = service.GetBlobContainerClient(address[..slash]).GetBlobClient(address[(slash + 1)..]);
        error = "";
        return true;
    }
}
