namespace StartFrame.Core.Records;

/// <summary>One reason a submission was refused: the field at fault, a stable code, and a message a person can act on.</summary>
public sealed record RecordError(string Field, string Code, string Message);
