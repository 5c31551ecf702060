namespace StartFrame.LocalDev.Dev;

/// <summary>Something the local host did, for the <c>startframe dev</c> console: a blob processed, an event delivered,
/// a queue message handled, an HTTP request answered.</summary>
/// <param name="Kind"><c>blob</c>, <c>event</c>, <c>queue</c>, <c>track</c>, <c>owed</c> or <c>http</c>.</param>
/// <param name="Subject">What it concerned: a blob name, <c>video-submissions/&lt;message id&gt;</c>, <c>POST /api/videos</c>.</param>
/// <param name="Status">What became of it: the pipeline's outcome status, <c>delivered</c>, <c>retrying</c>, <c>poisoned</c>, an HTTP status.</param>
/// <param name="Detail">One line more when there is something to say (why it failed, what comes next).</param>
/// <param name="TaskId">The ModelStream task id, when one is known.</param>
/// <param name="Video">Where the task's video landed (<c>videos/&lt;path&gt;/&lt;taskId&gt;.mp4</c>), once it is stored.</param>
public sealed record DevActivity(string Kind, string Subject, string Status, string? Detail = null, string? TaskId = null, string? Video = null);
