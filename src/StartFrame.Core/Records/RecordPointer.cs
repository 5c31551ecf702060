namespace StartFrame.Core.Records;

/// <summary>
/// What a records queue receives instead of a record too large for one message (more than
/// <see cref="RecordWriter.MaxInlineBytes"/> of UTF-8 JSON): the record is in a blob of <c>video-records</c> and the
/// message says where, with the task id (task records) so consumers can still de-duplicate without reading it.
/// Schemas: the <c>pointer</c> form of <c>Records/task-record.schema.json</c> and <c>Records/failure-record.schema.json</c>.
/// </summary>
public sealed record RecordPointer
{
    /// <summary>The schema version of the record it points at.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>ModelStream's task id (task records only).</summary>
    public string? TaskId { get; init; }

    /// <summary>The record's correlation id.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>Where the record is.</summary>
    public required RecordBlobReference RecordBlob { get; init; }
}

/// <summary>A record stored as a blob: container, name, its length in bytes and SHA-256 (hex) to check what was read.</summary>
public sealed record RecordBlobReference(string Container, string Blob, long Length, string Sha256);
