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

        // Back at or above the threshold: the next fall below it is a new crossing.
        await MoveAsync(alert.Where(a => a.Level != BalanceAlertLevel.Armed && balance.Any(b => b >= a.ThresholdMicros)), BalanceAlertLevel.Armed, ct);
        var low = await MoveAsync(alert.Where(a => a.Level == BalanceAlertLevel.Armed && balance.Any(b => b < a.ThresholdMicros)), BalanceAlertLevel.LowSent, ct);
        var zero = await MoveAsync(alert.Where(a => a.Level == BalanceAlertLevel.LowSent && balance.Any(b => b < ZeroBelowMicros)), BalanceAlertLevel.ZeroSent, ct);
        if (low == 0 && zero == 0) return;

        var state = await db.BalanceAlerts.Where(a => a.WorkspaceId == workspaceId)
            .Select(a => new { a.ThresholdMicros, Balance = balance.First(), Name = db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).First() })
            .SingleAsync(ct);
        if (low > 0)
        {
            logger.LogInformation("Workspace {WorkspaceId}: balance below the alert threshold; emailing its managers", workspaceId);
            await mail.SendAsync(workspaceId, $"Low API credit balance in {state.Name}",
                $"The API credit balance of {state.Name} is {Money.Format(state.Balance)} credits, below your alert threshold of "
                + $"{Money.Format(state.ThresholdMicros)} credits. Buy credits (or turn on auto top-up) so your API workflows do not stop.", ct);
        }
        if (zero > 0)
        {
            logger.LogInformation("Workspace {WorkspaceId}: balance at zero; emailing its managers", workspaceId);
            await mail.SendAsync(workspaceId, $"API usage stopped in {state.Name}",
                $"The API credit balance of {state.Name} has reached zero: API requests are refused until you buy credits.", ct);
        }
    }

    /// <summary>
    /// Read first, write only when the step is due: checks follow every metered batch, and an UPDATE that matches
    /// nothing still takes SQLite's write lock from the meter. The UPDATE, with the same condition, decides.
    /// </summary>
    private static async Task<int> MoveAsync(IQueryable<BalanceAlert> due, BalanceAlertLevel level, CancellationToken ct) =>
        await due.AnyAsync(ct) ? await due.ExecuteUpdateAsync(s => s.SetProperty(a => a.Level, level), ct) : 0;
}
