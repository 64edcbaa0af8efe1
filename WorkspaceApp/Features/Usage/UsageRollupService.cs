using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// Keeps every workspace's daily usage sums up to date: at start (after an upgrade, a year of records is summed here,
/// a month per transaction, not on someone's page load) and every hour. A failing workspace is logged and retried at
/// the next tick; the host never stops for it.
/// </summary>
public sealed class UsageRollupService(IDbContextFactory<AppDbContext> dbFactory, TimeProvider clock, ILogger<UsageRollupService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);
    private const int DaysPerTransaction = 31;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Summing daily usage failed; retrying in {Interval}", Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Brings every workspace whose mark lags up to the last closed day; returns how many it moved.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        var closedThrough = UsageRollup.ClosedThrough(clock.GetUtcNow().UtcDateTime);
        List<int> lagging;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            lagging = await db.Workspaces
                .Where(w => !db.Set<UsageRollupMark>().Any(m => m.WorkspaceId == w.Id && m.ThroughDay >= closedThrough))
                .Select(w => w.Id).ToListAsync(ct);
        }
        var moved = 0;
        foreach (var workspaceId in lagging)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                while (await UsageRollup.CatchUpAsync(db, workspaceId, closedThrough, DaysPerTransaction, ct) < closedThrough)
                {
                    ct.ThrowIfCancellationRequested();
                }
                moved++;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Summing daily usage of workspace {WorkspaceId} failed; retrying at the next tick", workspaceId);
            }
        }
        return moved;
    }
}
