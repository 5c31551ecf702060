namespace ModelStream.Client;

/// <summary>Which call failed: a submit may charge when re-sent, a poll never does.</summary>
internal enum ModelStreamOperation
{
    Submit,
    Poll,
}
