using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;

namespace WorkspaceApp.Features.Alerts;

/// <summary>
/// Moves a workspace's alert between its levels and sends the email of each step it claims. Every step is one
/// conditional UPDATE on the alert row, so however many requests, workers or instances see the same crossing,
/// exactly one of them changes the row and sends the email.
/// </summary>
public sealed class BalanceAlertChecker(IDbContextFactory<AppDbContext> dbFactory, ManagerMail mail, ILogger<BalanceAlertChecker> logger)
{
    /// <summary>"Zero": what the app shows as 0.00 credits; below a cent no API request of any size is admitted anyway.</summary>
    public const long ZeroBelowMicros = 10_000;

    public async Task CheckAsync(int workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = db.BalanceAlerts.Where(a => a.WorkspaceId == workspaceId);
        var balance = db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.BalanceMicros);

        var rearm = alert.Where(a => a.Level != BalanceAlertLevel.Armed && balance.Any(b => b >= a.ThresholdMicros));
        var fallen = alert.Where(a => a.Level == BalanceAlertLevel.Armed && balance.Any(b => b < a.ThresholdMicros));
        var emptied = alert.Where(a => a.Level == BalanceAlertLevel.LowSent && balance.Any(b => b < ZeroBelowMicros));
        // Read first (one query for the three steps), write only when a step is due: checks follow every metered batch,
        // and a transaction (or an UPDATE that matches nothing) takes SQLite's write lock from the meter. The UPDATEs,
        // with the same conditions, decide.
        if (!await rearm.Concat(fallen).Concat(emptied).AnyAsync(ct)) return;

        // A step and its email commit together: a claimed step never loses its email, a failed one is tried again.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Back at or above the threshold: the next fall below it is a new crossing.
        await rearm.ExecuteUpdateAsync(s => s.SetProperty(a => a.Level, BalanceAlertLevel.Armed), ct);
        var low = await fallen.ExecuteUpdateAsync(s => s.SetProperty(a => a.Level, BalanceAlertLevel.LowSent), ct);
        var zero = await emptied.ExecuteUpdateAsync(s => s.SetProperty(a => a.Level, BalanceAlertLevel.ZeroSent), ct);
        if (low > 0 || zero > 0) await AddEmailsAsync(db, workspaceId, balance, low > 0, zero > 0, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        mail.Wake();
    }

    private async Task AddEmailsAsync(AppDbContext db, int workspaceId, IQueryable<long> balance, bool low, bool zero, CancellationToken ct)
    {
        var state = await db.BalanceAlerts.Where(a => a.WorkspaceId == workspaceId)
            .Select(a => new { a.ThresholdMicros, Balance = balance.First(), Name = db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).First() })
            .SingleAsync(ct);
        if (low)
        {
            logger.LogInformation("Workspace {WorkspaceId}: balance below the alert threshold; emailing its managers", workspaceId);
            await mail.AddAsync(db, workspaceId, $"Low API credit balance in {state.Name}",
                $"The API credit balance of {state.Name} is {Money.Format(state.Balance)} credits, below your alert threshold of "
                + $"{Money.Format(state.ThresholdMicros)} credits. Buy credits (or turn on auto top-up) so your API workflows do not stop.", ct);
        }
        if (zero)
        {
            logger.LogInformation("Workspace {WorkspaceId}: balance at zero; emailing its managers", workspaceId);
            await mail.AddAsync(db, workspaceId, $"API usage stopped in {state.Name}",
                $"The API credit balance of {state.Name} has reached zero: API requests are refused until you buy credits.", ct);
        }
    }
}
