using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StartFrame.Core.Redrives;
using StartFrame.LocalDev.Dev;

namespace StartFrame.LocalDev.InProcess;

/// <summary>
/// OwedRecordsDue of the in-process host: the sweep on the function's period, on the host's <see cref="TimeProvider"/>.
/// A sweep that fails (storage down) is reported and the next one runs on time, as a failed timer invocation does.
/// </summary>
internal sealed class OwedSweepService(IServiceProvider services, TimeProvider timeProvider, Action<DevActivity>? report) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(OwedRecordSweeper.Period, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var items = await scope.ServiceProvider.GetRequiredService<IOwedRecordSweeper>()
                    .SweepAsync(OwedRecordSweeper.DefaultGrace, dryRun: false, stoppingToken).ConfigureAwait(false);
                foreach (var item in items.Where(i => i.Outcome is OwedSweepOutcomes.Written or OwedSweepOutcomes.StillOwed))
                {
                    report?.Invoke(new DevActivity("owed", item.Subject, item.Outcome, item.Detail ?? $"record owed to {item.Queue}", item.TaskId));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                report?.Invoke(new DevActivity("owed", "sweep", "failed", ex.Message.Split('\n')[0]));
            }
        }
    }
}
