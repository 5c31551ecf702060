namespace StartFrame.Architecture.Tests;

/// <summary>
/// The folders of <c>src/StartFrame.Core</c> in the order data flows: each may use the ones before it, never one after
/// it. Leaf concerns first (used by every stage, using none), then the stages an upload goes through, then the ways in
/// and the operators' tools that start them. The root namespace holds the settings (used by all) and the composition
/// root that wires every part (used by none of them).
/// </summary>
public static class CoreFolders
{
    /// <summary>The core's root namespace.</summary>
    public const string Root = "StartFrame.Core";

    /// <summary>The one type of the root namespace that may use every folder: it registers them all.</summary>
    public const string CompositionRoot = "StartFrame.Core.StartFrameServiceCollectionExtensions";

    /// <summary>Every folder, in the order a reader following the data meets them (and the allowed direction).</summary>
    public static IReadOnlyList<string> InDataOrder { get; } =
    [
        // Leaf concerns.
        "Redaction",     // secrets out of every text that leaves the process
        "Telemetry",     // the trace source, meter and traceparent of every stage (redacted tags)
        "Storage",       // names, connection and limits of the stores
        "Records",       // what goes on the queues for others: task, failure and completion records
        "Problems",      // what is wrong with a submission, field by field: the error, its codes, did-you-mean
        "Catalog",       // the models, as data, and the rule each of their fields follows
        "Validation",    // sidecar and image checks against the catalog (pure)
        "Polling",       // when each task is polled: the tracking message, its schedule and queue
        "Ledger",        // the fate of every submission, changed by intent

        // The stages of one upload.
        "Uploads",       // read an uploaded image and its sidecar, check them
        "Admission",     // provider slots: submit only while the account has room for one more unfinished task
        "Submitting",    // claim, POST, record, first poll: once, whatever the way in
        "Tracking",      // due, poll, copy, record
        "Status",        // the read side: a task's status, its video

        // Entries: what starts the stages.
        "WaysIn",        // blob upload, HTTP, queue, re-check: resolve image and key, call Submitting
        "Redrives",      // every operator redrive: blob, dead letter, poison, owed records
        "OperatorViews", // read-only views of the ledger and the record queues
    ];

    /// <summary>The full namespace of a folder.</summary>
    public static string Namespace(string folder) => $"{Root}.{folder}";
}
