namespace StartFrame.Core.WaysIn;

/// <summary>Handles one message of <c>upload-rechecks</c> (a seam so the function adapter is tested without storage).</summary>
public interface IRecheckQueueProcessor
{
    /// <summary>Runs the upload the message names through the pipeline again; a transient problem throws so the host retries.</summary>
    Task ProcessAsync(string messageText, CancellationToken cancellationToken);
}
