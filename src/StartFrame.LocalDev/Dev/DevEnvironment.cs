namespace StartFrame.LocalDev.Dev;

/// <summary>What another terminal needs to use a running <c>startframe dev</c>: the app settings the CLI and the function
/// app read, and where the HTTP API is.</summary>
/// <param name="Mode">How the function app runs.</param>
/// <param name="StorageConnection">The <c>AzureWebJobsStorage</c> value (<c>UseDevelopmentStorage=true</c> on the well-known ports).</param>
/// <param name="ModelStreamBaseUrl">The simulator's root.</param>
/// <param name="ApiBaseUrl">The HTTP API's root, e.g. <c>http://127.0.0.1:7071/api</c> (no trailing slash: routes are appended).</param>
/// <param name="Ports">The session's ports.</param>
public sealed record DevEnvironment(DevMode Mode, string StorageConnection, Uri ModelStreamBaseUrl, string ApiBaseUrl, DevPorts Ports)
{
    /// <summary>The key the local session uses; the simulator accepts any <c>sk-</c> key, so it is no secret (the same as in
    /// <c>local.settings.sample.json</c>).</summary>
    public const string LocalApiKey = "sk-local-simulator";

    /// <summary>The development setting that lets the simulator's http://127.0.0.1 result URLs be fetched.</summary>
    public const string AllowLoopbackResultUrlsKey = "StartFrame:AllowLoopbackResultUrls";

    /// <summary>A shell variable holding <see cref="ApiBaseUrl"/>, for curl (StartFrame itself does not read it).</summary>
    public const string ApiVariable = "STARTFRAME_API";

    /// <summary>The variables to export, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Variables =>
    [
        new("AzureWebJobsStorage", StorageConnection),
        new("ModelStream__BaseUrl", ModelStreamBaseUrl.ToString()),
        new("ModelStream__ApiKey", LocalApiKey),
        new("StartFrame__AllowLoopbackResultUrls", "true"),
        new(ApiVariable, ApiBaseUrl),
    ];
}
