using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using ModelStream.Client;
using StartFrame.Core.Catalog;
using StartFrame.Core.Polling;

namespace StartFrame.Core.Tests.Polling;

/// <summary>The first poll at the generation time expected for a task's shape: the schedule around it, what a task's
/// polls say it took, the shape of a request and the settings.</summary>
public sealed class ExpectedTimeScheduleTests
{
    private static readonly DateTimeOffset Submitted = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    private static readonly PollSchedule Defaults = new(new StartFrameOptions());

    private static readonly VideoShape Shape = new("viduq2-pro-fast", "5", "720p");

    [Fact]
    public void A_task_of_a_known_shape_is_polled_first_at_its_expected_time_and_carries_its_shape()
    {
        var first = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c", Shape, TimeSpan.FromSeconds(20));

        Assert.Equal(Submitted.AddSeconds(20), first.DueAt);
        Assert.Equal(TimeSpan.FromSeconds(20), first.Expected);
        Assert.Equal(Shape, first.Shape);
    }

    [Fact]
    public void Unfinished_at_the_expected_time_it_is_polled_a_near_step_later_then_doubling_from_that_step_to_the_cap()
    {
        var twenty = Enumerable.Range(0, 8).Select(poll => Defaults.DelayBefore(poll, TimeSpan.FromSeconds(20)).TotalSeconds);
        var hundred = Enumerable.Range(0, 7).Select(poll => Defaults.DelayBefore(poll, TimeSpan.FromSeconds(100)).TotalSeconds);

        // 10% of 20 s is under the 2 s floor; 10% of 100 s is 10 s.
        Assert.Equal([20, 2, 4, 8, 16, 32, 64, 120], twenty);
        Assert.Equal([100, 10, 20, 40, 80, 120, 120], hundred);
    }

    [Fact]
    public void The_poll_after_a_miss_at_the_expected_time_is_due_a_near_step_after_it()
    {
        var first = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c", Shape, TimeSpan.FromSeconds(20));

        var next = Defaults.Next(first with { UnfinishedAt = first.DueAt }, first.DueAt);

        Assert.Equal(Submitted.AddSeconds(22), next.DueAt);
        Assert.Equal(first.DueAt, next.UnfinishedAt);
        Assert.Equal(Shape, next.Shape);
    }

    [Fact]
    public void A_shape_never_seen_to_finish_keeps_the_fixed_schedule()
    {
        var first = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c", Shape, expected: null);

        Assert.Equal(Submitted.AddSeconds(10), first.DueAt);
        Assert.Null(first.Expected);
        Assert.Equal(Submitted.AddSeconds(40), Defaults.Next(first, Submitted.AddSeconds(20)).DueAt);
    }

    [Fact]
    public void Off_peak_tasks_keep_their_own_schedule_and_teach_nothing()
    {
        var first = Defaults.First("task1", "p", "r", Submitted, offPeak: true, "c", Shape, TimeSpan.FromSeconds(20));

        Assert.Equal(Submitted.AddSeconds(10), first.DueAt);
        Assert.Null(first.Expected);
        Assert.Null(first.Shape);
    }

    [Fact]
    public void An_expected_time_under_a_second_is_polled_at_one_second_and_one_past_the_horizon_at_the_horizon()
    {
        var tiny = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c", Shape, TimeSpan.FromMilliseconds(10));
        var huge = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c", Shape, TimeSpan.FromDays(30));

        Assert.Equal(Submitted.AddSeconds(1), tiny.DueAt);
        Assert.Equal(Defaults.HorizonOf(Submitted), huge.DueAt);
    }

    [Fact]
    public void A_task_seen_unfinished_then_done_took_the_middle_of_the_two_polls()
    {
        var message = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c", Shape) with { UnfinishedAt = Submitted.AddSeconds(10) };

        Assert.Equal(TimeSpan.FromSeconds(20), Defaults.GenerationTimeSeen(message, Submitted.AddSeconds(30)));
    }

    [Fact]
    public void A_task_done_at_its_first_poll_is_taken_to_have_ended_within_half_a_near_step_before_it()
    {
        var message = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c", Shape, TimeSpan.FromSeconds(100));

        // Done at 100 s, never seen unfinished: between 95 s (half a near step of 10 s before) and 100 s.
        Assert.Equal(TimeSpan.FromSeconds(97.5), Defaults.GenerationTimeSeen(message, Submitted.AddSeconds(100)));
        Assert.Null(Defaults.GenerationTimeSeen(message, Submitted));
    }

    [Fact]
    public void The_shape_of_a_request_is_read_where_the_catalog_says_each_value_travels()
    {
        var catalog = ModelCatalog.LoadDefault();
        var known = new VideoGenerationRequest
        {
            Model = "VIDUQ2-PRO-FAST",
            Images = ["https://example.test/a.png"],
            Fields = new JsonObject { ["duration"] = 8, ["prompt"] = "x" },
            Metadata = new JsonObject { ["resolution"] = "1080p" },
        };
        var unknown = new VideoGenerationRequest { Model = "some-new-model", Images = ["https://example.test/a.png"], Fields = new JsonObject { ["duration"] = "6s" } };

        Assert.Equal(new VideoShape("viduq2-pro-fast", "8", "1080p"), VideoShape.Of(catalog, known));
        Assert.Equal(new VideoShape("some-new-model", "6s", ""), VideoShape.Of(catalog, unknown));
    }

    [Fact]
    public void A_near_step_floor_over_the_max_delay_waits_the_max_delay()
    {
        var schedule = new PollSchedule(new StartFrameOptions { PollFirstDelay = TimeSpan.FromSeconds(1), PollMaxDelay = TimeSpan.FromSeconds(1) });

        Assert.Equal([20, 1, 1], Enumerable.Range(0, 3).Select(poll => schedule.DelayBefore(poll, TimeSpan.FromSeconds(20)).TotalSeconds));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.9)]
    public void A_near_fraction_outside_a_hundredth_to_a_half_is_refused(double fraction)
    {
        var options = new StartFrameOptions { PollNearFraction = fraction };

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
    }

    [Fact]
    public void A_poll_delivered_long_after_it_was_due_teaches_no_generation_time()
    {
        var first = Defaults.First("task1", "p", "r", Submitted, offPeak: false, "c", Shape, TimeSpan.FromSeconds(20));

        // Due at 20 s: delivered on time it brackets the task; delivered again five minutes later (its first run failed)
        // it would say the task took over five minutes.
        Assert.NotNull(Defaults.GenerationTimeSeen(first, first.DueAt.AddSeconds(2)));
        Assert.Null(Defaults.GenerationTimeSeen(first, first.DueAt.AddMinutes(5)));
    }
}
