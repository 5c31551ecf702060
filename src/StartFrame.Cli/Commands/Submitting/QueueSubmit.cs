using System.Text.Json.Nodes;
using StartFrame.Cli.Commands.Output;
using StartFrame.Core;
using StartFrame.Core.WaysIn;

namespace StartFrame.Cli.Commands.Submitting;

/// <summary>
/// <c>startframe submit … --queue</c>: the submission put on <c>video-submissions</c> as a pipeline would put it (the same
/// JSON, base64), for the queue trigger to validate, submit and record — locally, without the Azure CLI. Needs storage
/// only: the function app (or <c>startframe dev</c>) does the rest.
/// </summary>
internal static class QueueSubmit
{
    public static async Task<int> RunAsync(JsonObject body, bool asJson, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!CliEnvironment.Read().TryGetStorage(error, out var storage))
        {
            return ExitCodes.Failure;
        }

        var (key, derived) = SubmissionQueueSender.KeyOf(body);
        string messageId;
        try
        {
            messageId = await new SubmissionQueueSender(CliEnvironment.Queues(storage)).SendAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            await error.WriteLineAsync($"submit --queue: {ex.Message.Split(" (Parameter", 2)[0]}; give a shorter prompt or fewer fields.").ConfigureAwait(false);
            return ExitCodes.Rejected;
        }

        if (asJson)
        {
            await output.WriteLineAsync(JsonText.Line(new JsonObject
            {
                ["status"] = "queued",
                ["queue"] = StartFrameOptions.SubmissionsQueue,
                ["messageId"] = messageId,
                ["idempotencyKey"] = key,
                ["keyDerived"] = derived,
            })).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        var keyText = derived ? $"idempotency key {key}, derived from the fields: the same fields queued again are the same submission" : $"idempotency key {key}";
        await output.WriteLineAsync($"{"queued",-14}{StartFrameOptions.SubmissionsQueue} message {messageId} ({keyText})").ConfigureAwait(false);
        await output.WriteLineAsync($"{"",-14}the queue trigger submits it: `startframe records --tasks` shows its task record, `startframe failures` a refusal").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
