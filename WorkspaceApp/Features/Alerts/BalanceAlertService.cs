using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Alerts;

/// <summary>The low-balance threshold of a workspace: read by every member (the banner), set by Owners and Admins.</summary>
public sealed class BalanceAlertService(
    IDbContextFactory<AppDbContext> dbFactory, WorkspaceAccess access, BalanceWatcher watcher,
    WorkspaceChangeNotifier notifier, TimeProvider clock)
{
    public const int MaxThresholdCredits = 100_000;
    public static readonly string RangeMessage = $"Enter a threshold from 1 to {MaxThresholdCredits:#,##0} credits.";

    /// <summary>Null when <paramref name="credits"/> is a valid threshold (null turns alerts off).</summary>
    public static string? Validate(int? credits) => credits is < 1 or > MaxThresholdCredits ? RangeMessage : null;

    /// <summary>The threshold in micro-credits, or null when alerts are off (or the user is not a member).</summary>
    public async Task<long?> GetThresholdAsync(ClaimsPrincipal user, int workspaceId, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.View)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.BalanceAlerts.Where(a => a.WorkspaceId == workspaceId).Select(a => (long?)a.ThresholdMicros).SingleOrDefaultAsync(ct);
    }

    /// <summary>Sets the threshold in whole credits, or turns alerts off (null).</summary>
    public async Task<BillingResult<bool>> SetThresholdAsync(ClaimsPrincipal user, int workspaceId, int? credits, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.ManageBilling)) return BillingResult.Fail<bool>(BillingService.NotAllowed);
        if (Validate(credits) is { } invalid) return BillingResult.Fail<bool>(invalid);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var alert = await db.BalanceAlerts.SingleOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
        if (credits is null)
        {
            if (alert is not null) db.BalanceAlerts.Remove(alert);
        }
        else
        {
            if (alert is null) db.BalanceAlerts.Add(alert = new BalanceAlert { WorkspaceId = workspaceId });
            alert.ThresholdMicros = Money.FromCredits(credits.Value);
            // Already below the new threshold (or at zero): that is no crossing to email about (the banner shows it), the next one is.
            var balance = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.BalanceMicros).SingleAsync(ct);
            alert.Level = balance < BalanceAlertChecker.ZeroBelowMicros ? BalanceAlertLevel.ZeroSent
                : balance < alert.ThresholdMicros ? BalanceAlertLevel.LowSent : BalanceAlertLevel.Armed;
            alert.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        }
        db.Record(workspaceId, Actor.From(user), "alerts.threshold",
            credits is null ? "Low-balance alert turned off" : $"Low-balance alert below {credits} credits");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return BillingResult.Fail<bool>("Someone else changed the alert at the same time. Reload and try again.");
        }
        watcher.Watch(workspaceId);
        notifier.Publish(workspaceId); // banners follow the new threshold
        return BillingResult.Ok(true);
    }
}
