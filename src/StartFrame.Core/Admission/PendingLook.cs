namespace StartFrame.Core.Admission;

/// <summary>
/// The re-check message a waiting upload will look again with: what <c>SendMessageAsync</c> answered, kept on the
/// upload's <see cref="WaitingLine"/> row so that a slot given back can make that message visible at once
/// (<see cref="LineWaker"/>) instead of sending another.
/// </summary>
/// <param name="MessageId">The message's id on <see cref="StartFrameOptions.RechecksQueue"/>.</param>
/// <param name="PopReceipt">The receipt that lets it be updated; any later update or receive makes it stale.</param>
public sealed record PendingLook(string MessageId, string PopReceipt);

/// <summary>Where an upload that found no slot stands in the <see cref="WaitingLine"/>, and how many stood ahead of it.</summary>
/// <param name="Place">Its row key (<see cref="WaitingLine.PlaceOf"/>).</param>
/// <param name="Ahead">How many live uploads stood ahead at this look.</param>
public sealed record LinePlace(string Place, int Ahead);
