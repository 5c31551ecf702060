using System.CommandLine;
using StartFrame.LocalDev.Dev;

namespace StartFrame.Cli.Commands.Local;

/// <summary>
/// <c>startframe dev [--ports default|free] [--mode auto|func|in-process] [--trace] [--json]</c>: a local session of one's own —
/// Azurite, the simulator and the function app until Ctrl-C — printing the environment to use from another terminal.
/// </summary>
internal static class DevCommand
{
    public static Command Create()
    {
        var ports = new Option<string>("--ports")
        {
            Description = "default: Azurite 10000-10002, simulator 5080, API 7071 (UseDevelopmentStorage=true works, the exports stay " +
                "valid across restarts); free: ports the OS picks (for a second session, or when those are taken).",
            DefaultValueFactory = _ => "default",
        };
        ports.AcceptOnlyFromAmong("default", "free");
        var mode = new Option<string>("--mode")
        {
            Description = "auto: the real function app under `func start` when Azure Functions Core Tools is on PATH, else in-process; " +
                "func: require it; in-process: the same core in this process.",
            DefaultValueFactory = _ => "auto",
        };
        mode.AcceptOnlyFromAmong("auto", "func", "in-process");
        var trace = new Option<bool>("--trace")
        {
            Description = "Print each video's trace as a timeline when it ends (stage, start offset, duration). In-process mode only: " +
                "under func the spans go where OTEL_EXPORTER_OTLP_ENDPOINT points.",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line on stdout (ready, activity, trace with --trace, stopped); steps go to stderr." };
        var repo = LocalClone.CreateOption("dev");
        var command = new Command("dev", """
            Run a local StartFrame until Ctrl-C: Azurite (in memory, from the repo's npm lock), the ModelStream simulator and
            the function app, with uploads to start-frames processed as they land, video-submissions pumped as host.json says
            and the HTTP API on loopback. Prints the environment to paste into another terminal, then a line per thing it
            does. Ctrl-C (or SIGTERM) stops everything it started.
            Run it inside your clone (or name it with --repo): the session runs the clone's files.
            Example: startframe dev
            Example: startframe dev --ports free --json
            Example: startframe dev --mode in-process --trace
            Example: startframe dev --repo ~/src/startframe
            """);
        command.Options.Add(ports);
        command.Options.Add(mode);
        command.Options.Add(trace);
        command.Options.Add(json);
        command.Options.Add(repo);

        // A synchronous action on purpose: System.CommandLine gives an async action 2 s after Ctrl-C before it ends the
        // process, too short to stop Azurite, the simulator and the host; StopSignal keeps the process until they are.
        command.SetAction(parse => Run(
            new DevOptions(
                WellKnownPorts: parse.GetValue(ports) == "default",
                Mode: parse.GetValue(mode) switch { "func" => DevMode.Func, "in-process" => DevMode.InProcess, _ => null },
                Logs: CliLogging.Verbose,
                Trace: parse.GetValue(trace)),
            parse.GetValue(repo),
            parse.GetValue(json),
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error));
        return command;
    }

    private static int Run(DevOptions options, string? repo, bool json, TextWriter output, TextWriter error)
    {
        var console = new DevConsole(output, error, json);
        if (LocalClone.Resolve("dev", repo, out var notAClone) is not { } layout)
        {
            console.Stopped(ExitCodes.Rejected, notAClone);
            return ExitCodes.Rejected;
        }

        using var stop = new StopSignal();
        var (exitCode, problem) = Outcome(() => DevSession.RunAsync(options with { Layout = layout }, console, stop.Token).GetAwaiter().GetResult(), stop.Token);
        console.Stopped(exitCode, problem);
        return exitCode;
    }

    private static (int ExitCode, string? Problem) Outcome(Action session, CancellationToken stopped)
    {
        try
        {
            session();
            return (ExitCodes.Ok, null);
        }
        catch (OperationCanceledException) when (stopped.IsCancellationRequested)
        {
            return (ExitCodes.Ok, null); // Ctrl-C during start-up
        }
        catch (DevRejectedException ex)
        {
            return (ExitCodes.Rejected, ex.Message);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Azure.RequestFailedException or HttpRequestException or IOException
                                       or Microsoft.Extensions.Options.OptionsValidationException or UnauthorizedAccessException)
        {
            return (ExitCodes.Failure, ex.Message);
        }
    }
}
