namespace StartFrame.LocalDev.Dev;

/// <summary>How <c>startframe dev</c> runs the function app.</summary>
public enum DevMode
{
    /// <summary>The core in this process, its triggers and HTTP API played as the Functions host plays them.</summary>
    InProcess,

    /// <summary>The real function app under <c>func start</c>, with Event Grid played for its blob webhook.</summary>
    Func,
}
