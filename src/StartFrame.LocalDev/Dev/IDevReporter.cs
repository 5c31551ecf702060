namespace StartFrame.LocalDev.Dev;

/// <summary>Where a <c>startframe dev</c> session says what it does; the CLI prints it for people or as JSON lines.</summary>
public interface IDevReporter
{
    /// <summary>A step of the start-up or the shut-down ("Starting Azurite...").</summary>
    void Stage(string text);

    /// <summary>A detail under the current step: progress of a first build, a retry, the function host's own output.</summary>
    void Detail(string text);

    /// <summary>Everything runs: the environment to use from another terminal.</summary>
    void Ready(DevEnvironment environment, TimeSpan startedIn);

    /// <summary>Something the running host did.</summary>
    void Activity(DevActivity activity);

    /// <summary>A video's trace ended (<c>--trace</c>, in-process): its stages as a timeline.</summary>
    void Trace(DevTrace trace);
}
