using System.ComponentModel.DataAnnotations;
using StartFrame.Core.Polling;

namespace StartFrame.Core.Tests.Tracking;

/// <summary>When a task is polled: first delay, doubling, caps, Retry-After, and the horizon.</summary>
public sealed class TrackingScheduleTests
{
    private static readonly DateTimeOffset Submitted = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly PollSchedule Defaults = new(new StartFrameOptions());

    [Fact]
    public void Standard_tasks_are_polled_10_s_after_submission_then_doubling_up_to_2_minutes()
    {
        var delays = Enumerable.Range(0, 7).Select(poll => Defaults.DelayBefore(poll, offPeak: false).TotalSeconds);

        Assert.Equal([10, 20, 40, 80, 120, 120, 120], delays);
    }

    [Fact]
    public void Off_peak_tasks_double_on_up_to_15_minutes()
    {
        var delays = Enumerable.Range(0, 10).Select(poll => Defaults.DelayBefore(poll, offPeak: true).TotalSeconds);

        Assert.Equal([10, 20, 40, 80, 160, 320, 640, 900, 900, 900], delays);
    }

    [Fact]
    public void First_message_is_due_after_the_first_delay_and_carries_the_ledger_key_as_given()
    {
        var first = Defaults.First("task1", "b:start-frames%2Fcat.png", "0x8D", Submitted, offPeak: true, "corr-1");

        Assert.Equal(Submitted.AddSeconds(10), first.DueAt);
        Assert.Equal(0, first.Poll);
        Assert.Equal(("b:start-frames%2Fcat.png", "0x8D"), (first.LedgerPartitionKey, first.LedgerRowKey));
        Assert.True(first.OffPeak);
    }

    [Fact]
    public void Next_poll_waits_the_doubled_delay_from_now()
    {
        var first = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c");
        var now = Submitted.AddSeconds(11);

        var next = Defaults.Next(first, now);

        Assert.Equal(1, next.Poll);
        Assert.Equal(now.AddSeconds(20), next.DueAt);
    }

    [Fact]
    public void Next_poll_waits_at_least_a_Retry_After_longer_than_the_backoff()
    {
        var first = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c");

        var next = Defaults.Next(first, Submitted.AddSeconds(10), atLeast: TimeSpan.FromMinutes(5));

        Assert.Equal(Submitted.AddSeconds(10).AddMinutes(5), next.DueAt);
    }

    [Fact]
    public void No_poll_is_due_after_the_horizon_and_at_the_horizon_the_task_is_given_up()
    {
        var late = Defaults.First("task1", "p", "r", Submitted, offPeak: true, "c") with { Poll = 50 };
        var almost = Submitted.AddHours(72).AddMinutes(-1);

        var next = Defaults.Next(late, almost);

        Assert.Equal(Submitted.AddHours(72), next.DueAt);
        Assert.False(Defaults.IsPastHorizon(next, almost));
        Assert.True(Defaults.IsPastHorizon(next, next.DueAt));
    }

    [Fact]
    public void A_retry_past_the_horizon_waits_its_turn_on_the_schedule_instead_of_coming_straight_back()
    {
        var late = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c") with { Poll = 50 };
        var past = Submitted.AddHours(73);

        var next = Defaults.Next(late, past);

        Assert.Equal(past + Defaults.DelayBefore(51, offPeak: false), next.DueAt);
        Assert.True(next.DueAt > past);
    }

    [Fact]
    public void The_default_horizon_covers_off_peak_tasks_of_48_hours_with_a_day_to_spare()
    {
        Assert.Equal(TimeSpan.FromHours(72), Defaults.HorizonOf(Submitted) - Submitted);
    }

    [Fact]
    public void A_max_delay_shorter_than_the_first_delay_is_refused_naming_both_settings()
    {
        var options = new StartFrameOptions { PollFirstDelay = TimeSpan.FromMinutes(5), PollMaxDelay = TimeSpan.FromMinutes(1) };
        var errors = new List<ValidationResult>();

        var valid = Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true);

        Assert.False(valid);
        var error = Assert.Single(errors).ErrorMessage!;
        Assert.Contains("StartFrame__PollMaxDelay", error, StringComparison.Ordinal);
        Assert.Contains("StartFrame__PollFirstDelay", error, StringComparison.Ordinal);
    }
}
