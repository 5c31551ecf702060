namespace ModelStream.Client;

/// <summary>
/// What a task id must be for the client to poll it: one plain URL path segment. <c>..</c> or <c>.</c> would be
/// resolved away and poll another URL (<c>GET /v1/video/..</c> is <c>GET /v1/</c>); a <c>/</c>, <c>?</c>, <c>#</c> or
/// <c>%</c> would end, query or re-escape the path; control characters, white space and very long ids are no id any
/// deployment issues. Ids seen in the wild (<c>abcd1234efgh</c>, <c>vid_1</c>, UUIDs) all pass.
/// </summary>
public static class TaskIdRule
{
    /// <summary>The longest id accepted, in characters.</summary>
    public const int MaxLength = 128;

    /// <summary>What is wrong with <paramref name="taskId"/> as a task id, or null when it can be polled.</summary>
    /// <param name="taskId">The id to check.</param>
    /// <returns>A phrase such as <c>"it contains '/'"</c>, or null.</returns>
    public static string? Problem(string? taskId)
    {
        if (string.IsNullOrWhiteSpace(taskId))
        {
            return "it is empty";
        }

        if (taskId.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }

        if (taskId is "." or "..")
        {
            return $"'{taskId}' is a relative path, not a name";
        }

        foreach (var c in taskId)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return "it contains a control or white-space character";
            }

            if (c is '/' or '\\' or '?' or '#' or '%')
            {
                return $"it contains '{c}'";
            }
        }

        return null;
    }
}
