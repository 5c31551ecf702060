using StartFrame.Core.Admission;
using StartFrame.Core.Ledger;
using StartFrame.Core.OperatorViews;

namespace StartFrame.Core.Tests.Admission;

/// <summary>What the pipeline writes of a waiting upload is what the operator views read back.</summary>
public sealed class SlotWaitTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(123456)]
    public void The_ledger_view_of_a_waiting_upload_says_how_many_stand_ahead(int ahead)
    {
        var entry = new LedgerEntry { State = LedgerStates.Released, LastErrorCode = SlotWait.Code, LastErrorMessage = SlotWait.Describe(ahead) };

        var view = LedgerView.Of(entry);

        Assert.Equal(ahead, view.SlotAhead);
        Assert.StartsWith($"waiting for a provider slot ({ahead} ahead)", view.LastError!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LedgerStates.Released, "unavailable", "waiting for a provider slot (3 ahead)")]
    [InlineData(LedgerStates.Recorded, SlotWait.Code, "waiting for a provider slot (3 ahead)")]
    [InlineData(LedgerStates.Released, SlotWait.Code, "waiting for a provider slot (many ahead)")]
    [InlineData(LedgerStates.Released, SlotWait.Throttled, "ModelStream is rate limiting requests")]
    public void Only_a_released_entry_with_the_waiting_code_and_wording_is_waiting(string state, string code, string message)
    {
        var view = LedgerView.Of(new LedgerEntry { State = state, LastErrorCode = code, LastErrorMessage = message });

        Assert.Null(view.SlotAhead);
    }

    [Fact]
    public void Places_in_line_sort_by_upload_time_whatever_the_ledger_key()
    {
        var early = WaitingLine.PlaceOf(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), "zzz", new string('z', 900));
        var late = WaitingLine.PlaceOf(new DateTimeOffset(2026, 1, 1, 0, 0, 1, TimeSpan.Zero), "a", "a");

        Assert.True(string.CompareOrdinal(early, late) < 0);
        Assert.True(early.Length <= 64, "a place is a bounded table key");
    }
}
