namespace StartFrame.Core.Records;

/// <summary>
/// Correlation ids travel as the <c>X-Correlation-Id</c> header to ModelStream and into records and log scopes, so
/// they are checked where they come in: 1 to <see cref="MaxLength"/> printable ASCII characters (what an HTTP header
/// value carries unchanged), no space at either end. A caller's id that breaks this is refused before any claim;
/// an id from the platform (an invocation id) is replaced.
/// </summary>
public static class CorrelationIds
{
    /// <summary>The longest correlation id accepted.</summary>
    public const int MaxLength = 128;

    /// <summary>What is wrong with <paramref name="id"/>, or null when it may be used as it is.</summary>
    public static string? Problem(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length is 0 or > MaxLength)
        {
            return $"correlationId must be 1 to {MaxLength} printable ASCII characters; got {id.Length} characters";
        }

        if (id.Any(c => c is < ' ' or > '~'))
        {
            return $"correlationId must be printable ASCII (letters, digits, punctuation, space); it contains U+{(int)id.First(c => c is < ' ' or > '~'):X4}";
        }

        return id[0] == ' ' || id[^1] == ' ' ? "correlationId must not begin or end with a space" : null;
    }

    /// <summary><paramref name="id"/> when it is usable, else a new one (for ids the platform gives).</summary>
    public static string OrNew(string? id) => id is not null && Problem(id) is null ? id : New();

    /// <summary>A new correlation id.</summary>
    public static string New() => Guid.NewGuid().ToString("N");
}
