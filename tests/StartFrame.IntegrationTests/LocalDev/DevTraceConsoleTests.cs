using System.Text.Json.Nodes;
using StartFrame.Cli.Commands.Local;
using StartFrame.LocalDev.Dev;

namespace StartFrame.IntegrationTests.LocalDev;

/// <summary>How <c>startframe dev --trace</c> prints a video's timeline: for people, a header and a line per stage; with
/// <c>--json</c>, one <c>trace</c> object on one line.</summary>
public sealed class DevTraceConsoleTests
{
    private static readonly DevTrace Trace = new(
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "batch/cat.png",
        "task-1",
        "succeeded",
        TimeSpan.FromSeconds(31.25),
        [
            new DevTraceStage("upload", 0, TimeSpan.Zero, TimeSpan.FromMilliseconds(120), 1, false, null),
            new DevTraceStage("submit", 1, TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(60), 1, false, null),
            new DevTraceStage("poll", 2, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(30), 3, true, "unreachable"),
            new DevTraceStage("copy", 3, TimeSpan.FromSeconds(31), TimeSpan.FromMilliseconds(200), 1, false, null),
        ],
        0);

    [Fact]
    public void For_people_a_header_then_a_line_per_stage_indented_by_depth()
    {
        using var output = new StringWriter();
        new DevConsole(output, TextWriter.Null, json: false).Trace(Trace);

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("trace  4bf92f3577b34da6a3ce929d0e0e4736 batch/cat.png -> task task-1: succeeded in 31.250 s", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Matches(@"^ +\+ *10\.000 s +0\.030 s {6}poll x3  failed: unreachable$", lines[3]); // depth 2: two indents
        Assert.Matches(@"^ +\+ *31\.000 s +0\.200 s {8}copy$", lines[4]);
    }

    [Fact]
    public void With_json_one_trace_object_on_one_line()
    {
        using var output = new StringWriter();
        new DevConsole(output, TextWriter.Null, json: true).Trace(Trace);

        var line = Assert.Single(output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        var json = JsonNode.Parse(line)!.AsObject();
        Assert.Equal("trace", json["event"]!.GetValue<string>());
        Assert.Equal("task-1", json["taskId"]!.GetValue<string>());
        Assert.Equal(31250, json["durationMs"]!.GetValue<double>());
        var poll = json["stages"]!.AsArray()[2]!;
        Assert.Equal(("poll", 3, 10000d, "unreachable"), (poll["name"]!.GetValue<string>(), poll["count"]!.GetValue<int>(), poll["offsetMs"]!.GetValue<double>(), poll["errorCode"]!.GetValue<string>()));
        Assert.True(poll["failed"]!.GetValue<bool>());
        Assert.False(json["stages"]!.AsArray()[3]!["failed"]!.GetValue<bool>());
        Assert.Null(json["dropped"]);
    }
}
