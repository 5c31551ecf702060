using System.Globalization;
using System.Text.Json.Nodes;

namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// The trigger settings of the repo's <c>host.json</c>, read so the in-process host delivers blobs and queue messages
/// exactly as configured for the function app (one source: change host.json and both follow).
/// </summary>
/// <param name="Queues">The queue trigger's settings.</param>
/// <param name="Blobs">The blob trigger's settings.</param>
/// <param name="HttpRoutePrefix">What HTTP routes start with (<c>extensions.http.routePrefix</c>, <c>api</c> by default).</param>
public sealed record HostJson(QueueTriggerSettings Queues, BlobTriggerSettings Blobs, string HttpRoutePrefix)
{
    private const string EmbeddedName = "host.json";

    /// <summary>Reads <paramref name="path"/>; a setting it leaves out takes the Functions default.</summary>
    /// <exception cref="InvalidOperationException">The file is not JSON or a setting has the wrong form; the message names it.</exception>
    public static HostJson Read(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>
    /// The host.json this assembly was built with (embedded from the repo root): for commands that run a trigger's loop
    /// outside a clone, such as a published <c>startframe track</c>.
    /// </summary>
    public static HostJson Embedded()
    {
        using var stream = typeof(HostJson).Assembly.GetManifestResourceStream(EmbeddedName)
            ?? throw new InvalidOperationException($"The build embedded no {EmbeddedName}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "host.json (embedded)");
    }

    private static HostJson Parse(string text, string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidOperationException($"{path} is not valid JSON: {ex.Message}", ex);
        }

        var queues = root?["extensions"]?["queues"];
        var blobs = root?["extensions"]?["blobs"];
        var q = QueueTriggerSettings.Defaults;
        var batchSize = Int(queues, "batchSize", path) ?? q.BatchSize;
        var queueSettings = new QueueTriggerSettings(
            batchSize,
            Int(queues, "newBatchThreshold", path) ?? batchSize / 2,
            Duration(queues, "maxPollingInterval", path) ?? q.MaxPollingInterval,
            Duration(queues, "visibilityTimeout", path) ?? q.VisibilityTimeout,
            Int(queues, "maxDequeueCount", path) ?? q.MaxDequeueCount,
            Duration(root, "functionTimeout", path) ?? q.InvisibleWhileRunning);
        var b = BlobTriggerSettings.Defaults;
        var blobSettings = new BlobTriggerSettings(
            Int(blobs, "maxDegreeOfParallelism", path) ?? b.MaxDegreeOfParallelism,
            Int(blobs, "poisonBlobThreshold", path) ?? b.PoisonBlobThreshold,
            queueSettings.VisibilityTimeout);
        var routePrefix = root?["extensions"]?["http"]?["routePrefix"];
        return new HostJson(queueSettings, blobSettings, routePrefix is null ? "api" : routePrefix.GetValue<string>().Trim('/'));
    }

    private static int? Int(JsonNode? section, string name, string path)
    {
        var value = section?[name];
        try
        {
            return value?.GetValue<int>();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException($"{path}: '{name}' must be a whole number; got {value!.ToJsonString()}", ex);
        }
    }

    private static TimeSpan? Duration(JsonNode? section, string name, string path)
    {
        var value = section?[name];
        if (value is null)
        {
            return null;
        }

        return value.GetValueKind() == System.Text.Json.JsonValueKind.String
            && TimeSpan.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, out var duration)
            ? duration
            : throw new InvalidOperationException($"{path}: '{name}' must be a duration such as \"00:00:30\"; got {value.ToJsonString()}");
    }
}
