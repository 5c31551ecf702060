namespace StartFrame.Core.Telemetry;

/// <summary>The tags StartFrame puts on its spans and metrics.</summary>
public static class TagNames
{
    /// <summary>The image's container.</summary>
    public const string Container = "startframe.container";

    /// <summary>The image's blob name (or its URL without query, for an image URL).</summary>
    public const string Blob = "startframe.blob";

    /// <summary>ModelStream's task id.</summary>
    public const string TaskId = "startframe.task_id";

    /// <summary>The model the video is generated with.</summary>
    public const string Model = "startframe.model";

    /// <summary>How the stage ended (an outcome or status word).</summary>
    public const string Outcome = "startframe.outcome";

    /// <summary>The error code of a refusal or failure.</summary>
    public const string ErrorCode = "startframe.error_code";

    /// <summary><c>blob</c>, <c>http</c> or <c>queue</c>.</summary>
    public const string Origin = "startframe.origin";

    /// <summary>The submission's correlation id.</summary>
    public const string CorrelationId = "startframe.correlation_id";

    /// <summary>How many polls came before this one.</summary>
    public const string PollNumber = "startframe.poll";

    /// <summary>How many uploads stood ahead in the line for a provider slot.</summary>
    public const string Ahead = "startframe.ahead";

    /// <summary>The HTTP status ModelStream answered with.</summary>
    public const string HttpStatus = "http.response.status_code";
}
