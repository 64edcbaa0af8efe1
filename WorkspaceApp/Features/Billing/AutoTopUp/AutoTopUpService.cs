using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Alerts;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>Auto top-up as the Billing page shows it.</summary>
public sealed record AutoTopUpView(bool Enabled, int? BelowCredits, int? Credits, int? MonthlyLimitCredits, string? CardLast4, bool HasCard, string? LastFailure);

/// <summary>Auto top-up settings (Owners and Admins change them; every method checks the role) and the card saved for it.</summary>
public sealed class AutoTopUpService(
    IDbContextFactory<AppDbContext> dbFactory, WorkspaceAccess access, BalanceWatcher watcher, WorkspaceChangeNotifier notifier)
{
    public const string NoCard = "Save a card first: buy credits with \"Save the card for auto top-up\" ticked.";

    public async Task<AutoTopUpView?> GetAsync(ClaimsPrincipal user, int workspaceId, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.View)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AutoTopUps.AsNoTracking().SingleOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
        return row is null
            ? new AutoTopUpView(false, null, null, null, null, false, null)
            : new AutoTopUpView(row.Enabled, Credits(row.BelowMicros), row.Credits == 0 ? null : row.Credits,
                row.MonthlyLimitCredits == 0 ? null : row.MonthlyLimitCredits, row.CardLast4, row.HasCard, row.LastFailure);
    }

    /// <summary>Switches auto top-up on with these settings (whole credits), or off (<paramref name="enabled"/> false keeps them).</summary>
    public async Task<BillingResult<bool>> SaveAsync(
        ClaimsPrincipal user, int workspaceId, bool enabled, int? belowCredits, int? credits, int? monthlyLimitCredits, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.ManageBilling)) return BillingResult.Fail<bool>(BillingService.NotAllowed);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AutoTopUps.SingleOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
        if (enabled)
        {
            if (AutoTopUpRules.Validate(belowCredits, credits, monthlyLimitCredits).Values.FirstOrDefault() is { } invalid) return BillingResult.Fail<bool>(invalid);
            if (row is not { HasCard: true }) return BillingResult.Fail<bool>(NoCard);
            row.BelowMicros = Money.FromCredits(belowCredits!.Value);
            row.Credits = credits!.Value;
            row.MonthlyLimitCredits = monthlyLimitCredits!.Value;
            // Switched on again by a person: the failures that switched it off are behind.
            if (!row.Enabled) (row.FailuresInARow, row.RetryAfterUtc) = (0, null);
        }
        if (row is null) return BillingResult.Ok(true); // off, and never set up
        row.Enabled = enabled;
        db.Record(workspaceId, Actor.From(user), "autotopup.settings", enabled
            ? $"Auto top-up on: below {belowCredits} credits buy {credits}, at most {monthlyLimitCredits} a month"
            : "Auto top-up off");
        await db.SaveChangesAsync(ct);
        if (enabled) watcher.Watch(workspaceId);
        notifier.Publish(workspaceId);
        return BillingResult.Ok(true);
    }

    /// <summary>Keeps the card of a paid purchase for auto top-up (replacing an earlier one); idempotent.</summary>
    internal async Task SaveCardAsync(int workspaceId, string cardProvider, string? customerId, string paymentMethodId, string? last4, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.AutoTopUps.SingleOrDefaultAsync(a => a.WorkspaceId == workspaceId, ct);
        if (row is null) db.AutoTopUps.Add(row = new AutoTopUpSettings { WorkspaceId = workspaceId });
        if (row.PaymentMethodId == paymentMethodId && row.CardProvider == cardProvider) return;
        (row.CardProvider, row.CustomerId, row.PaymentMethodId, row.CardLast4) = (cardProvider, customerId, paymentMethodId, last4);
        (row.FailuresInARow, row.RetryAfterUtc, row.LastFailure) = (0, null, null);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            return; // the webhook and the return page saved it at the same moment
        }
        notifier.Publish(workspaceId);
    }

    private static int? Credits(long micros) => micros == 0 ? null : (int)(micros / Money.MicrosPerCredit);
}
