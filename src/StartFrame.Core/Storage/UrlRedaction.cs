namespace StartFrame.Core.Storage;

/// <summary>Strips the query (and so any SAS signature) from a URL before it is logged or recorded.</summary>
public static class UrlRedaction
{
    /// <summary>The URL without its query string or fragment.</summary>
    public static string WithoutQuery(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return url.GetLeftPart(UriPartial.Path);
    }

    /// <summary>The URL without its query string or fragment; text that is not an absolute URL is returned unchanged.</summary>
    public static string WithoutQuery(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) ? WithoutQuery(parsed) : url;
}
