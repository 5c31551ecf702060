namespace StartFrame.IntegrationTests.Infrastructure;

/// <summary>Sidecars used across tests.</summary>
public static class Sidecars
{
    /// <summary>A valid sidecar for viduq2-pro-fast that sets a metadata-located field of each kind.</summary>
    public const string Valid = """
        {
          "model": "viduq2-pro-fast",
          "prompt": "The astronaut waved and the camera moved up.",
          "duration": 5,
          "resolution": "1080p",
          "bgm": true,
          "seed": 42,
          "metadata": { "movement_amplitude": "auto" }
        }
        """;
}
