using System.CommandLine;
using StartFrame.Cli.Commands;
using StartFrame.Cli.Commands.Videos;

namespace StartFrame.Cli;

/// <summary>The <c>startframe</c> command tree: one place that lists every command.</summary>
internal static class CliApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("""
            startframe — turn start-frame images in Azure Storage into ModelStream videos.
            Configuration comes from the environment, like the function app: AzureWebJobsStorage,
            ModelStream__BaseUrl, ModelStream__ApiKey, StartFrame__*. Exit codes: 0 ok, 2 rejected input, 1 other failure.
            """);
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(UploadCommand.Create());
        root.Subcommands.Add(SubmitCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(DownloadCommand.Create());
        root.Subcommands.Add(TrackCommand.Create());
        root.Subcommands.Add(ProcessCommand.Create());
        root.Subcommands.Add(RedriveCommand.Create());
        root.Subcommands.Add(ValidateCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        return root;
    }

    public static Task<int> RunAsync(string[] args) => CreateRoot().Parse(args).InvokeAsync();
}
