using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// Keeps holds from leaking and last-used times current, with several instances on one database. Every few seconds
/// (and at startup, before the first request) it records this instance's heartbeat, releases the holds of instances
/// not seen for Api:InstanceTimeoutSeconds (a crash between hold and settle) and this instance's holds older than
/// Api:HoldTimeoutSeconds, and flushes the keys' last-used times. The live holds of another instance are never touched.
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

    // Made at start, not in ExecuteAsync (which runs later, on a thread of its own): ticks count from the start.
    private PeriodicTimer? timer;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the first request: no request of this run holds anything yet, so every hold with this instance's id
        // is a leftover of its previous run (only possible with a configured App:InstanceId).
        startedAtUtc = clock.GetUtcNow().UtcDateTime;
        await TickAsync(starting: true);
        timer = new PeriodicTimer(FlushInterval, clock);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var ticks = timer!;
        try
        {
            while (await ticks.WaitForNextTickAsync(stoppingToken)) await TickAsync(starting: false);
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
        var now = clock.GetUtcNow().UtcDateTime;
        if (!leftoversReleased) leftoversReleased = await GuardAsync(() => ReleaseAsync(new ExpireHoldsOp(startedAtUtc), "left by this instance's previous run"));
        await GuardAsync(() => ReleaseAsync(new ReleaseDeadInstancesOp(now.AddSeconds(-options.Value.InstanceTimeoutSeconds)), "of instances no longer seen"));
        if (!starting)
        {
            await GuardAsync(FlushLastUsedAsync);
            await GuardAsync(() => ReleaseAsync(new ExpireHoldsOp(now.AddSeconds(-options.Value.HoldTimeoutSeconds)), "older than the hold timeout"));
        }
        // Last, so that a heartbeat at a time also says the tick of that time is done (the tests wait on it).
        await GuardAsync(() => writer.RunAsync(new HeartbeatOp(startedAtUtc)));
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

    private async Task ReleaseAsync(MeterOp<int> op, string why)
    {
        var released = await writer.RunAsync(op);
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
