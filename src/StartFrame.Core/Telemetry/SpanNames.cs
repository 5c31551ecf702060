namespace StartFrame.Core.Telemetry;

/// <summary>The stage spans of one video's trace, in the order an upload meets them.</summary>
public static class SpanNames
{
    /// <summary>A blob event, from the trigger to its answer: the root of a blob upload's trace.</summary>
    public const string Upload = "startframe.upload";

    /// <summary>An HTTP or queue submission, from the request to its answer: the root of its trace.</summary>
    public const string Submission = "startframe.submission";

    /// <summary>A later look at an upload (it waited for a provider slot, or met another run's claim): the parent of that
    /// look's upload span, and a child of the upload's first span through the <c>traceparent</c> its message keeps.</summary>
    public const string Recheck = "startframe.recheck";

    /// <summary>Reading the image and sidecar (or the JSON body) and validating them.</summary>
    public const string Read = "startframe.read";

    /// <summary>Claiming the submission in the ledger.</summary>
    public const string Claim = "startframe.claim";

    /// <summary>Taking a provider slot (admission control): admitted, or waiting for one.</summary>
    public const string Admission = "startframe.admission";

    /// <summary>The POST to ModelStream.</summary>
    public const string Submit = "startframe.submit";

    /// <summary>Queuing the task record and the first poll, and saying so in the ledger.</summary>
    public const string Record = "startframe.record";

    /// <summary>The sweep writing a record the ledger owed (its queue write failed): a child of the submission's trace,
    /// through the <c>traceparent</c> its ledger entry keeps.</summary>
    public const string Owed = "startframe.owed";

    /// <summary>One tracking delivery: a child of the submission's trace, however late it comes.</summary>
    public const string Poll = "startframe.poll";

    /// <summary>Copying the finished video into storage.</summary>
    public const string Copy = "startframe.copy";

    /// <summary>Queuing the completion record and saying so in the ledger.</summary>
    public const string Complete = "startframe.complete";
}
