namespace StartFrame.Core.Records;

/// <summary>Where in the pipeline a failure record was written (its <c>stage</c>).</summary>
public static class FailureStages
{
    /// <summary>The input was refused before any credit was spent.</summary>
    public const string Validation = "validation";

    /// <summary>ModelStream refused, failed or gave no clear answer.</summary>
    public const string Submit = "submit";
}
