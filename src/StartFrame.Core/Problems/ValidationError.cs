namespace StartFrame.Core.Problems;

/// <summary>One problem with a submission, phrased so a person can fix it.</summary>
/// <param name="Field">The sidecar field (<c>duration</c>, <c>metadata.seed</c>), <c>image</c>, or <c>sidecar</c> for the sidecar as a whole.</param>
/// <param name="Code">A stable code from <see cref="ValidationCodes"/>.</param>
/// <param name="Message">What is wrong and what is accepted, e.g. <c>duration must be a whole number from 1 to 10 (step 1); got 5.5</c>.</param>
public sealed record ValidationError(string Field, string Code, string Message)
{
    /// <summary>The field name used for problems with the sidecar as a whole.</summary>
    public const string Document = "sidecar";

    /// <summary>The field name used for problems with the uploaded image.</summary>
    public const string Image = "image";

    /// <summary><c>field: message [code]</c>, as the CLI prints it.</summary>
    public override string ToString() => $"{Field}: {Message} [{Code}]";
}
