using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// Keeps holds from leaking and last-used times current. At startup it releases every hold left by a previous run
/// (a crash between hold and settle); then it releases holds older than Api:HoldTimeoutSeconds and flushes the
/// keys' last-used times every few seconds.
/// </summary>
public sealed class MeterMaintenance(
    MeterWriter writer,
    LastUsedTracker lastUsed,
    IOptions<ApiOptions> options,
    TimeProvider clock,
    ILogger<MeterMaintenance> logger) : BackgroundService
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the first request: no request of this run holds anything yet, so every hold is a leftover.
        await ExpireAsync(clock.GetUtcNow().UtcDateTime, "left by a previous run");
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushLastUsedAsync();
                await ExpireAsync(clock.GetUtcNow().UtcDateTime.AddSeconds(-options.Value.HoldTimeoutSeconds), "older than the hold timeout");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await FlushLastUsedAsync();
    }

    private async Task ExpireAsync(DateTime cutoffUtc, string why)
    {
        var released = await writer.RunAsync(new ExpireHoldsOp(cutoffUtc));
        if (released > 0) logger.LogWarning("Released {Count} credit holds {Why}", released, why);
    }

    private async Task FlushLastUsedAsync()
    {
        var times = lastUsed.TakeAll();
        if (times.Count > 0) await writer.RunAsync(new TouchKeysOp(times));
    }
}
