using System.Globalization;
using System.Text.RegularExpressions;

namespace StartFrame.Core.Admission;

/// <summary>
/// The one wording of "waiting for a provider slot", kept on the ledger entry of a waiting upload (its last error
/// message, code <see cref="Code"/>) and read back by the status views, so the CLI and <c>GET /api/videos/{id}</c> say
/// the same thing the pipeline decided.
/// </summary>
public static partial class SlotWait
{
    /// <summary>The ledger code of an upload waiting for a slot.</summary>
    public const string Code = "waiting_for_slot";

    /// <summary>The ledger code of an upload given back its slot by a 429.</summary>
    public const string Throttled = "rate_limit_exceeded";

    /// <summary>"waiting for a provider slot (n ahead)" and why.</summary>
    public static string Describe(int ahead) => string.Create(CultureInfo.InvariantCulture,
        $"waiting for a provider slot ({ahead} ahead): every ModelStream slot (ModelStream__MaxConcurrentTasks) is taken or left to uploads ahead; nothing was sent");

    /// <summary>How many stood ahead, read back from a message <see cref="Describe"/> wrote; null for any other text.</summary>
    public static int? AheadIn(string? message) =>
        message is not null && AheadPattern().Match(message) is { Success: true } match && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var ahead)
            ? ahead
            : null;

    [GeneratedRegex(@"^waiting for a provider slot \(([0-9]{1,9}) ahead\)")]
    private static partial Regex AheadPattern();
}
