using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Alerts;

/// <summary>
/// Reacts to balance changes of workspaces with an alert or auto top-up: it listens to the change notifier (so the
/// meter's hot path is untouched; changes made on other instances arrive through the relay too) and checks each
/// changed workspace off the request path, one at a time, coalescing bursts. A sweep every Alerts:SweepSeconds
/// checks every such workspace, for whatever a notification missed. No fault stops it.
/// </summary>
public sealed class BalanceWatcher(
    IServiceScopeFactory scopes, WorkspaceChangeNotifier notifier, IOptions<AlertOptions> options,
    TimeProvider clock, ILogger<BalanceWatcher> logger) : BackgroundService
{
    private readonly Dictionary<int, IDisposable> watched = [];
    private readonly HashSet<int> queued = [];
    private readonly Channel<int> queue = Channel.CreateUnbounded<int>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>From now on, checks <paramref name="workspaceId"/> whenever it changes; checks it once now.</summary>
    public void Watch(int workspaceId)
    {
        lock (watched)
        {
            if (!watched.ContainsKey(workspaceId))
            {
                watched[workspaceId] = notifier.Subscribe(workspaceId, () =>
                {
                    Enqueue(workspaceId);
                    return Task.CompletedTask;
                });
            }
        }
        Enqueue(workspaceId);
    }

    private void Enqueue(int workspaceId)
    {
        // A workspace waiting already is checked once for the whole burst: the check reads the latest balance.
        lock (queued)
        {
            if (!queued.Add(workspaceId)) return;
        }
        queue.Writer.TryWrite(workspaceId);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sweeping = SweepAsync(stoppingToken);
        await foreach (var workspaceId in queue.Reader.ReadAllAsync(stoppingToken))
        {
            lock (queued) queued.Remove(workspaceId);
            await CheckAsync(workspaceId, stoppingToken);
        }
        await sweeping;
    }

    private async Task CheckAsync(int workspaceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        // Each part fails alone: a failed email must not keep a top-up from running, nor the other way round.
        try
        {
            await scope.ServiceProvider.GetRequiredService<BalanceAlertChecker>().CheckAsync(workspaceId, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Checking the low-balance alert of workspace {WorkspaceId} failed; the next change or sweep retries", workspaceId);
        }
        try
        {
            await scope.ServiceProvider.GetRequiredService<AutoTopUpRunner>().RunAsync(workspaceId, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError(ex, "Auto top-up of workspace {WorkspaceId} failed; the next change or sweep retries", workspaceId);
        }
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
                var ids = await db.BalanceAlerts.Select(a => a.WorkspaceId)
                    .Union(db.AutoTopUps.Where(a => a.Enabled).Select(a => a.WorkspaceId)).ToListAsync(ct);
                foreach (var id in ids) Watch(id);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError(ex, "The balance alert sweep failed; it runs again in {Seconds} s", options.Value.SweepSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(ct));
    }
}
