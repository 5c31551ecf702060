namespace StartFrame.Core.Admission;

/// <summary>A provider slot this run holds: its row and the ETag it was taken with (nothing else may give it back).</summary>
/// <param name="RowKey">The slot's row.</param>
/// <param name="ETag">The row's ETag after this run took it.</param>
/// <param name="Holder">The claim id it was taken for.</param>
/// <param name="Held">How many slots were in use once it was taken (itself included): what a learned limit learns from.</param>
public sealed record SlotLease(string RowKey, Azure.ETag ETag, string Holder, int Held = 1);
