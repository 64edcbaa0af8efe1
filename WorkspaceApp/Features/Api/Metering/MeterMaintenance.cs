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

    private DateTime startedAtUtc;
    private bool leftoversReleased;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the first request: no request of this run holds anything yet, so every hold is a leftover.
        startedAtUtc = clock.GetUtcNow().UtcDateTime;
        await TickAsync(starting: true);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await TickAsync(starting: false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await GuardAsync(FlushLastUsedAsync);
    }

    // One tick never stops the host: a failure (the database away, say) is logged and the next tick tries again.
    // Leftovers of a previous run are released first, at startup or, if that failed, on the first tick that can.
    private async Task TickAsync(bool starting)
    {
        if (!leftoversReleased) leftoversReleased = await GuardAsync(() => ExpireAsync(startedAtUtc, "left by a previous run"));
        if (starting) return;
        await GuardAsync(FlushLastUsedAsync);
        await GuardAsync(() => ExpireAsync(clock.GetUtcNow().UtcDateTime.AddSeconds(-options.Value.HoldTimeoutSeconds), "older than the hold timeout"));
    }

    private async Task<bool> GuardAsync(Func<Task> work)
    {
        try
        {
            await work();
            return true;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Credit meter maintenance failed; retrying on the next tick");
            return false;
        }
    }

    private async Task ExpireAsync(DateTime cutoffUtc, string why)
    {
        var released = await writer.RunAsync(new ExpireHoldsOp(cutoffUtc));
        if (released > 0) logger.LogWarning("Released {Count} credit holds {Why}", released, why);
    }

    private async Task FlushLastUsedAsync()
    {
        var times = lastUsed.TakeAll();
        if (times.Count == 0) return;
        try
        {
            await writer.RunAsync(new TouchKeysOp(times));
        }
        catch
        {
            lastUsed.Restore(times); // written with the next flush
            throw;
        }
    }
}
