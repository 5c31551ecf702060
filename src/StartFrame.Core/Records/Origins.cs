namespace StartFrame.Core.Records;

/// <summary>How a submission reached the pipeline (the <c>origin</c> of task and failure records).</summary>
public static class Origins
{
    /// <summary>An image uploaded to the uploads container.</summary>
    public const string Blob = "blob";

    /// <summary>A manual submission over HTTP.</summary>
    public const string Http = "http";

    /// <summary>A message on the submissions queue.</summary>
    public const string Queue = "queue";
}
