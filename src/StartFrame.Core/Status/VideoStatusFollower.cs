using System.Runtime.CompilerServices;

namespace StartFrame.Core.Status;

/// <summary>
/// Follows a task for <c>startframe status --wait</c>: reads its status every interval and yields each read, ending
/// with the one that shows it ended (video stored, failed or timed out). It only reads; the tracker (the function app
/// or <c>startframe track</c>) does the work.
/// </summary>
public sealed class VideoStatusFollower(VideoStatusReader reader, TimeProvider timeProvider)
{
    /// <summary>Reads until the task has ended (or the token is cancelled); yields null once if the task is unknown.</summary>
    public async IAsyncEnumerable<VideoStatusRead?> FollowAsync(string taskId, TimeSpan interval, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await reader.ReadAsync(taskId, cancellationToken).ConfigureAwait(false);
            yield return read;
            if (read is null || read.Status.Completion is not null)
            {
                yield break;
            }

            await Task.Delay(interval, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
