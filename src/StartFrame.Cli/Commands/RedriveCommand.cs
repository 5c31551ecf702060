using System.CommandLine;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Core.Pipeline;

namespace StartFrame.Cli.Commands;

/// <summary><c>startframe redrive &lt;container&gt;/&lt;blob&gt; [--force]</c>: the operator's way out of a failed or ambiguous submission.</summary>
internal static class RedriveCommand
{
    public static Command Create()
    {
        var blob = new Argument<string>("blob") { Description = "The image, as <container>/<blob>." };
        var force = new Option<bool>("--force") { Description = "Also re-submit an ambiguous submission (ModelStream may already have started it: may charge twice)." };
        var command = new Command("redrive", """
            Submit again an image whose ledger entry says failed (or, with --force, ambiguous). Says what it will do first.
            Example: startframe redrive start-frames/cats/cat.png
            """);
        command.Arguments.Add(blob);
        command.Options.Add(force);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            using var host = await CliHost.StartAsync(null, cancellationToken).ConfigureAwait(false);
            var service = host.Services.GetRequiredService<BlobServiceClient>();
            if (!BlobAddress.TryResolve(service, parse.GetValue(blob)!, out var image, out var problem))
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            var redriver = host.Services.GetRequiredService<BlobRedriver>();
            var plan = await redriver.PlanAsync(image!, parse.GetValue(force), cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync($"{image!.BlobContainerName}/{image.Name}: {plan.Explanation}").ConfigureAwait(false);
            if (!plan.WillRun)
            {
                return ExitCodes.Failure;
            }

            var printer = new OutcomePrinter(output);
            try
            {
                printer.Print(await redriver.RunAsync(image, plan, null, cancellationToken).ConfigureAwait(false));
            }
            catch (TransientSubmissionException ex)
            {
                printer.PrintFailure("transient_failure", $"{image.BlobContainerName}/{image.Name}", ex.Message);
            }

            return printer.ExitCode;
        });
        return command;
    }
}
