using System.CommandLine;
using Microsoft.Extensions.Configuration;
using StartFrame.Cli.Commands.Local;
using StartFrame.Cli.Commands.Operating;
using StartFrame.Cli.Commands.Submitting;
using StartFrame.Cli.Commands.Videos;
using StartFrame.Core.Redaction;

namespace StartFrame.Cli;

/// <summary>The <c>startframe</c> command tree: one place that lists every command, and the one path every command runs through.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("""
            startframe — turn start-frame images in Azure Storage into ModelStream videos.
            Configuration comes from the environment, like the function app: AzureWebJobsStorage,
            ModelStream__BaseUrl, ModelStream__ApiKey, StartFrame__*. Exit codes: 0 done; 2 refused for what was given (fix the
            command line or the input); 1 failed for another reason (a setting, Node.js, storage, ModelStream, not yet: fix
            that, or run it again later).
            Every command takes --json (one JSON object per line) and --verbose (the core's logs on stderr).
            """);
        root.Options.Add(CliLogging.Option);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(DevCommand.Create());
        root.Subcommands.Add(UploadCommand.Create());
        root.Subcommands.Add(SubmitCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(DownloadCommand.Create());
        root.Subcommands.Add(TrackCommand.Create());
        root.Subcommands.Add(TasksCommand.Create());
        root.Subcommands.Add(FailuresCommand.Create());
        root.Subcommands.Add(RecordsCommand.Create());
        root.Subcommands.Add(ProcessCommand.Create());
        root.Subcommands.Add(RedriveCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        return root;
    }

    // "startframe" alone, or --help anywhere: the help is the answer, not an error.
    private static bool IsHelp(ParseResult parse) =>
        parse.Action is System.CommandLine.Help.HelpAction || parse.Tokens.Count == 0;

    /// <summary>
    /// Runs a command with stdout and stderr through the redactor; whatever a command does not handle itself (a
    /// missing setting, storage going away mid-command) ends as one line on stderr and exit code 1.
    /// </summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var redactor = Redactor.FromConfiguration(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        using var output = new RedactingTextWriter(Console.Out, redactor);
        using var error = new RedactingTextWriter(Console.Error, redactor);
        var configuration = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            var parse = CreateRoot().Parse(args);
            if (!IsHelp(parse) && (CliParseErrors.UnknownOption(parse, args) ?? (parse.Errors.Count > 0 ? CliParseErrors.Describe(parse) : null)) is { } refused)
            {
                await error.WriteLineAsync(refused).ConfigureAwait(false);
                return ExitCodes.Rejected;
            }

            CliLogging.Verbose = parse.GetValue(CliLogging.Option);
            return await parse.InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await error.WriteLineAsync(CliFailure.Describe(ex)).ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
