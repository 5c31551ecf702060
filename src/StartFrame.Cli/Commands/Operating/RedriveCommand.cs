using System.CommandLine;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core.Redrives;
using StartFrame.Core.Storage;
using StartFrame.Core.Submitting;

namespace StartFrame.Cli.Commands.Operating;

/// <summary>
/// <c>startframe redrive start-frames/&lt;blob&gt; [--force] [--again]</c>: the operator's way out of a failed or ambiguous
/// submission, or a deliberate new take of a recorded one;
/// <c>startframe redrive --poison [queue]</c>: replays the messages a queue trigger gave up on;
/// <c>startframe redrive --dead-letter [container]</c>: processes the upload events Event Grid could not deliver;
/// <c>startframe redrive --owed</c>: writes the records a queue outage left owed.
/// </summary>
internal static class RedriveCommand
{
    public static Command Create()
    {
        var blob = new Argument<string?>("blob") { Description = "The image, as start-frames/<blob> (leave out with --poison).", Arity = ArgumentArity.ZeroOrOne };
        var force = new Option<bool>("--force") { Description = "Also re-submit an ambiguous submission (ModelStream may already have started it: may charge twice)." };
        var again = new Option<bool>("--again") { Description = "Also submit an upload that was recorded, as a deliberate new take (charged again; the first task stays in the ledger)." };
        var poison = new Option<string?>("--poison")
        {
            Description = $"Instead of a blob, move every message of this poison queue (default {PoisonRedrive.DefaultQueue}; also "
                + $"{string.Join(", ", TriggerTable.QueueTriggers.Skip(1).Select(t => t.PoisonQueue))}) back onto its queue, exactly as stored "
                + "(a submission without idempotencyKey keeps the key derived from its body).",
            HelpName = "queue",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var deadLetter = new Option<string?>("--dead-letter")
        {
            Description = $"Instead of a blob, run the BlobCreated events Event Grid dead-lettered into this container (default {DeadLetterRedrive.DefaultContainer}) "
                + "through the core as the blob trigger would (idempotent); dead-letter blobs are kept, marked with metadata once handled.",
            HelpName = "container",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var owed = new Option<bool>("--owed")
        {
            Description = $"Instead of a blob, write now the records the ledger owes after a queue outage (what OwedRecordsDue does every 5 minutes): "
                + "task and failure records and first tracking messages; nothing is submitted.",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be redriven (the plan, or the poison messages) without changing anything." };
        var json = new Option<bool>("--json") { Description = "Print JSON lines: the outcome for a blob, one object per poison message (also the default when stdout is not a terminal)." };
        var command = new Command("redrive", $"""
            Submit again an image whose ledger entry says failed (or, with --force, ambiguous; with --again, recorded: a
            new take of the same image and sidecar, charged again); says what it will do first.
            With --poison, move the messages of a poison queue (default {PoisonRedrive.DefaultQueue}) back onto the queue it belongs
            to: each is re-sent first and deleted from the poison queue only after that succeeded; one line per message and a summary.
            Examples:
              startframe redrive start-frames/cats/cat.png
              startframe redrive start-frames/cats/cat.png --again
              startframe redrive --poison --dry-run
              startframe redrive --poison
              startframe redrive --poison video-tracking-poison
              startframe redrive --dead-letter --dry-run
              startframe redrive --owed
            """);
        command.Arguments.Add(blob);
        command.Options.Add(force);
        command.Options.Add(again);
        command.Options.Add(poison);
        command.Options.Add(deadLetter);
        command.Options.Add(owed);
        command.Options.Add(dryRun);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var address = parse.GetValue(blob);
            var poisonGiven = parse.GetResult(poison) is not null;
            var deadLetterGiven = parse.GetResult(deadLetter) is not null;
            var owedGiven = parse.GetValue(owed);
            var problem = (address, poisonGiven, deadLetterGiven) switch
            {
                _ when owedGiven && (address is not null || poisonGiven || deadLetterGiven) => "redrive: --owed stands alone: give it without a blob, --poison or --dead-letter.",
                _ when owedGiven && (parse.GetValue(force) || parse.GetValue(again)) => "redrive: --force and --again apply to a blob; --owed only writes records, it never submits.",
                (null, false, false) when owedGiven => null,
                (_, true, true) => "redrive: give --poison or --dead-letter, not both.",
                (not null, _, true) => $"redrive: give either a blob or --dead-letter, not both (if '{address}' is the dead-letter container, write --dead-letter {address}).",
                (_, _, true) when parse.GetValue(force) || parse.GetValue(again) => "redrive: --force and --again apply to a blob; dead-lettered events are processed as first deliveries, leave them out.",
                (null, false, false) => "redrive: give the image to redrive (e.g. start-frames/cats/cat.png), --poison to replay the poison queue, --dead-letter to process dead-lettered events, or --owed to write owed records.",
                (not null, true, _) => $"redrive: give either a blob or --poison, not both (if '{address}' is the poison queue, write --poison {address}).",
                (_, true, _) when parse.GetValue(force) || parse.GetValue(again) => "redrive: --force and --again apply to a blob; poison messages are replayed under their idempotency key, leave them out.",
                (not null, false, false) when BlobAddress.Problem(address) is { } bad => "redrive: " + bad,
                _ => null,
            };
            if (problem is not null)
            {
                await error.WriteLineAsync(problem).ConfigureAwait(false);
                return ExitCodes.Rejected;
            }

            if (owedGiven)
            {
                return await OwedRedrive.RunAsync(parse.GetValue(dryRun), parse.GetValue(json), output, error, cancellationToken).ConfigureAwait(false);
            }

            if (deadLetterGiven)
            {
                return await DeadLetterRedrive.RunAsync(parse.GetValue(deadLetter) ?? DeadLetterRedrive.DefaultContainer, parse.GetValue(dryRun), parse.GetValue(json), output, error, cancellationToken).ConfigureAwait(false);
            }

            return poisonGiven
                ? await PoisonRedrive.RunAsync(parse.GetValue(poison) ?? PoisonRedrive.DefaultQueue, parse.GetValue(dryRun), parse.GetValue(json), output, error, cancellationToken).ConfigureAwait(false)
                : await RedriveBlobAsync(address!, parse.GetValue(force), parse.GetValue(again), parse.GetValue(dryRun), parse.GetValue(json), output, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RedriveBlobAsync(string address, bool force, bool again, bool dryRun, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var host = await CommandCore.TryStartAsync(error, cancellationToken).ConfigureAwait(false);
        if (host is null)
        {
            return ExitCodes.Failure;
        }

        var service = host.Services.GetRequiredService<BlobServiceClient>();
        if (!BlobAddress.TryResolve(service, address, out var image, out var problem))
        {
            await error.WriteLineAsync("redrive: " + problem).ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        var redriver = host.Services.GetRequiredService<BlobRedriver>();
        var plan = await redriver.PlanAsync(image, force, again, cancellationToken).ConfigureAwait(false);
        var subject = $"{image.BlobContainerName}/{image.Name}";
        await error.WriteLineAsync($"{subject}: {plan.Explanation}{(dryRun && plan.WillRun ? " (dry run: nothing done)" : "")}").ConfigureAwait(false);
        var printer = new OutcomeReporter(output, json);
        if (printer.Json && (dryRun || !plan.WillRun))
        {
            // Scripts get the plan as a line of its own: what would be done (dry run) or why nothing is.
            var status = !plan.Found ? "not_found" : plan.WillRun ? "would_redrive" : "not_redriven";
            await output.WriteLineAsync(JsonText.Line(new RedrivePlanLine(status, subject, plan.Entry?.State, plan.Explanation, dryRun), CliJsonContext.Default.RedrivePlanLine)).ConfigureAwait(false);
        }

        if (!plan.WillRun)
        {
            return plan.Found ? ExitCodes.Failure : ExitCodes.Rejected;
        }

        if (dryRun)
        {
            return ExitCodes.Ok;
        }

        try
        {
            printer.Print(await redriver.RunAsync(image, plan, null, cancellationToken).ConfigureAwait(false));
        }
        catch (TransientSubmissionException ex)
        {
            printer.PrintFailure("transient_failure", $"{image.BlobContainerName}/{image.Name}", ex.Message);
        }

        return printer.ExitCode;
    }
}
