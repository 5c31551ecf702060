using ModelStream.Simulator;

namespace ModelStream.Tests;

/// <summary>The simulator's command line: what a person types, and the one line it answers when that is wrong.</summary>
public sealed class SimulatorCommandLineTests
{
    [Theory]
    [InlineData("500ms", 0, 0, 0, 500)]
    [InlineData("20s", 0, 0, 20, 0)]
    [InlineData("1.5s", 0, 0, 1, 500)]
    [InlineData("2m", 0, 2, 0, 0)]
    [InlineData("1h", 1, 0, 0, 0)]
    [InlineData("2d", 48, 0, 0, 0)]
    [InlineData("00:00:30", 0, 0, 30, 0)]
    [InlineData("1.00:00:00", 24, 0, 0, 0)]
    public void A_duration_is_a_number_with_its_unit_or_hh_mm_ss(string text, int hours, int minutes, int seconds, int milliseconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(new TimeSpan(0, hours, minutes, seconds, milliseconds), value);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("30")]
    [InlineData("2.5")]
    [InlineData("20x")]
    [InlineData("-5s")]
    [InlineData("s")]
    [InlineData("-00:00:05")]
    public void A_bare_number_or_an_unknown_unit_is_no_duration(string text)
    {
        Assert.False(DurationText.TryParse(text, out _));
    }

    [Theory]
    [InlineData("--generation-time", "3")]
    [InlineData("--result-url-lifetime", "24")]
    public void A_bare_number_stops_the_simulator_with_one_line_naming_the_option(string option, string value)
    {
        var failure = Assert.Throws<ArgumentException>(() => SimulatorApp.CreateForCommandLine([option, value]));

        Assert.Equal($"{option} must be a number with a unit (500ms, 20s, 2m, 1h, 2d) or hh:mm:ss; got '{value}'.", failure.Message);
    }

    [Theory]
    [InlineData("--max-concurrent-tasks", "0", "unfinished tasks")]
    [InlineData("--max-concurrent-tasks", "two", "unfinished tasks")]
    [InlineData("--rate-limit", "-1", "submits per second")]
    [InlineData("--rate-limit", "1.5", "submits per second")]
    public void A_limit_that_is_not_a_whole_number_of_one_or_more_stops_the_simulator(string option, string value, string what)
    {
        var failure = Assert.Throws<ArgumentException>(() => SimulatorApp.CreateForCommandLine([option, value]));

        Assert.Equal($"{option} must be a whole number of {what}, 1 or more; got '{value}'.", failure.Message);
    }
}
