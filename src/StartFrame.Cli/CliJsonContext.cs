using System.Text.Json.Serialization;
using StartFrame.Core.WaysIn;

namespace StartFrame.Cli;

/// <summary>Source-generated JSON for what the CLI prints: one compact object per line, camelCase, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProcessingOutcome))]
[JsonSerializable(typeof(StartFrame.Core.Redrives.DeadLetterRedriveResult))]
[JsonSerializable(typeof(StartFrame.Core.Redrives.OwedSweepItem))]
[JsonSerializable(typeof(CliError))]
[JsonSerializable(typeof(StatusLine))]
[JsonSerializable(typeof(RedrivePlanLine))]
[JsonSerializable(typeof(StartFrame.Core.OperatorViews.LedgerView))]
[JsonSerializable(typeof(StartFrame.Core.OperatorViews.PeekedRecord))]
[JsonSerializable(typeof(FailureLine))]
[JsonSerializable(typeof(StartFrame.Cli.Commands.Local.DevReadyLine))]
[JsonSerializable(typeof(StartFrame.Cli.Commands.Local.DevActivityLine))]
[JsonSerializable(typeof(StartFrame.Cli.Commands.Local.DevStoppedLine))]
[JsonSerializable(typeof(StartFrame.Cli.Commands.Local.DevTraceLine))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>A failure the CLI reports as a JSON line (transient or internal), so scripts never parse prose.</summary>
internal sealed record CliError(string Status, string Subject, string Detail);

/// <summary>What happened to one thing a command was given, when it is neither an outcome nor a failure: <c>skipped</c>, <c>not_found</c>.</summary>
internal sealed record StatusLine(string Status, string Subject, string Detail);

/// <summary><c>redrive --json</c> for one image, when nothing is submitted (a dry run, or a plan that will not run): what it would do, and why.</summary>
internal sealed record RedrivePlanLine(string Status, string Subject, string? LedgerState, string Detail, bool DryRun);

/// <summary><c>failures --json</c>: one failure record as peeked, and what the ledger says of its image now.</summary>
internal sealed record FailureLine(
    string MessageId,
    DateTimeOffset? InsertedOn,
    long DequeueCount,
    string Form,
    StartFrame.Core.Records.RecordBlobReference? RecordBlob,
    System.Text.Json.Nodes.JsonObject? Record,
    string? Problem,
    StartFrame.Core.OperatorViews.FailureResolution? Resolution);
