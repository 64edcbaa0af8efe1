using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Alerts;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// Buys the configured credits with the saved card when the balance is below the workspace's auto top-up level.
/// One conditional UPDATE claims the top-up (enabled, card saved, not claimed, not waiting after a failure, balance
/// below the level), so however many balance changes arrive at once, on however many instances, one top-up runs.
/// The top-up is a Purchase credited through the same fulfilment as checkouts.
/// </summary>
public sealed class AutoTopUpRunner(
    IDbContextFactory<AppDbContext> dbFactory, IPaymentProvider provider, PurchaseFulfilment fulfilment, ManagerMail mail,
    WorkspaceChangeNotifier notifier, IOptions<AlertOptions> options, TimeProvider clock, ILogger<AutoTopUpRunner> logger)
{
    public const string CreatedByName = "Auto top-up";

    /// <summary>Tops up <paramref name="workspaceId"/> if it is due; returns the purchase it made, if any.</summary>
    public async Task<int?> RunAsync(int workspaceId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var staleBefore = now - AutoTopUpRules.ClaimTimeout;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var balance = db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.BalanceMicros);
        var due = db.AutoTopUps
            .Where(a => a.WorkspaceId == workspaceId && a.Enabled && a.PaymentMethodId != null
                && a.FailuresInARow < AutoTopUpRules.MaxFailuresInARow
                && (a.ClaimedAtUtc == null || a.ClaimedAtUtc < staleBefore)
                && (a.RetryAfterUtc == null || a.RetryAfterUtc <= now)
                && balance.Any(b => b < a.BelowMicros));
        // Read first (this runs after every metered batch; a write would contend with the meter), then claim.
        if (!await due.AnyAsync(ct)) return null;
        var claimed = await due.ExecuteUpdateAsync(s => s.SetProperty(a => a.ClaimedAtUtc, now), ct);
        if (claimed == 0) return null;
        try
        {
            return await TopUpAsync(db, workspaceId, now, ct);
        }
        finally
        {
            await db.AutoTopUps.Where(a => a.WorkspaceId == workspaceId)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ClaimedAtUtc, (DateTime?)null), CancellationToken.None);
        }
    }

    private async Task<int?> TopUpAsync(AppDbContext db, int workspaceId, DateTime now, CancellationToken ct)
    {
        var settings = await db.AutoTopUps.AsNoTracking().SingleAsync(a => a.WorkspaceId == workspaceId, ct);
        // Read again under the claim: a top-up that committed just before it already covers this fall.
        var balance = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.BalanceMicros).SingleAsync(ct);
        if (balance >= settings.BelowMicros) return null;
        if (settings.CardProvider != provider.Name)
        {
            logger.LogWarning("Workspace {WorkspaceId}: the saved card belongs to the {Provider} provider; auto top-up needs a card saved with {Current}",
                workspaceId, settings.CardProvider, provider.Name);
            return null;
        }

        // A top-up an instance left unfinished (it stopped between creating the purchase and the charge's answer) is
        // finished first, with the same purchase, instead of starting a second one beside it.
        if (await UnfinishedAsync(db, workspaceId, now, ct) is { } unfinished)
        {
            logger.LogWarning("Workspace {WorkspaceId}: finishing auto top-up purchase {PurchaseId}, left pending by a stopped instance", workspaceId, unfinished.Id);
            return await ChargeAsync(db, unfinished, settings, now, ct);
        }
        var monthStart = AutoTopUpRules.MonthStartUtc(now);
        var thisMonth = await db.Purchases
            .Where(p => p.WorkspaceId == workspaceId && p.AutoTopUp && p.CreatedAtUtc >= monthStart
                && (p.Status == PurchaseStatus.Paid || p.Status == PurchaseStatus.Pending))
            .SumAsync(p => p.Credits, ct);
        if (thisMonth + settings.Credits > settings.MonthlyLimitCredits)
        {
            logger.LogInformation("Workspace {WorkspaceId}: auto top-up skipped, the monthly limit of {Limit} credits is reached", workspaceId, settings.MonthlyLimitCredits);
            return null;
        }
        var purchase = new Purchase
        {
            WorkspaceId = workspaceId,
            Credits = settings.Credits,
            AmountCents = PurchaseRules.TotalCents(settings.Credits),
            Currency = PurchaseRules.Currency,
            Status = PurchaseStatus.Pending,
            Provider = provider.Name,
            AutoTopUp = true,
            CardLast4 = settings.CardLast4,
            CreatedByUserId = "",
            CreatedByName = CreatedByName,
            CreatedAtUtc = now,
        };
        db.Purchases.Add(purchase);
        await db.SaveChangesAsync(ct);

        return await ChargeAsync(db, purchase, settings, now, ct);
    }

    /// <summary>
    /// A pending top-up older than a claim: its instance stopped before the charge answered. Charging it again is safe,
    /// the charge is idempotent per purchase (Stripe's idempotency key topup-{id}, kept by Stripe for 24 hours, hence the
    /// upper bound). A charge Stripe is still processing is answered as processing again, and its webhook completes it.
    /// </summary>
    private Task<Purchase?> UnfinishedAsync(AppDbContext db, int workspaceId, DateTime now, CancellationToken ct)
    {
        var (staleBefore, idempotentAfter) = (now - AutoTopUpRules.ClaimTimeout, now - TimeSpan.FromHours(23));
        return db.Purchases.AsNoTracking()
            .Where(p => p.WorkspaceId == workspaceId && p.AutoTopUp && p.Status == PurchaseStatus.Pending && p.Provider == provider.Name
                && p.CreatedAtUtc < staleBefore && p.CreatedAtUtc > idempotentAfter)
            .OrderBy(p => p.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>Charges the saved card for <paramref name="purchase"/> and credits, closes or leaves it to the webhook.</summary>
    private async Task<int> ChargeAsync(AppDbContext db, Purchase purchase, AutoTopUpSettings settings, DateTime now, CancellationToken ct)
    {
        var workspaceId = purchase.WorkspaceId;
        SavedCardCharge charge;
        try
        {
            charge = await provider.ChargeSavedCardAsync(purchase, settings, ct);
        }
        catch (Exception ex) when (ex is Stripe.StripeException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            // The provider could not be asked: not the card's fault, so not counted; retried after the pause.
            logger.LogError(ex, "Workspace {WorkspaceId}: the payment provider failed auto top-up purchase {PurchaseId}", workspaceId, purchase.Id);
            await fulfilment.CloseUnpaidAsync(purchase.Id, PurchaseStatus.Failed, "The payment provider could not be reached.", ct: CancellationToken.None);
            await PauseAsync(db, workspaceId, now, null, countFailure: false);
            return purchase.Id;
        }

        switch (charge.Outcome)
        {
            case SavedCardOutcome.Paid:
                await fulfilment.CreditPaidAsync(purchase.Id, charge.AmountCents, charge.Currency, charge.PaymentId, settings.CardLast4, CancellationToken.None);
                await db.AutoTopUps.Where(a => a.WorkspaceId == workspaceId).ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.FailuresInARow, 0).SetProperty(a => a.LastFailure, (string?)null).SetProperty(a => a.RetryAfterUtc, (DateTime?)null), CancellationToken.None);
                logger.LogInformation("Workspace {WorkspaceId}: auto top-up purchase {PurchaseId} paid", workspaceId, purchase.Id);
                break;
            case SavedCardOutcome.Declined:
                var closed = await fulfilment.CloseUnpaidAsync(purchase.Id, PurchaseStatus.Failed, charge.Message!, settings.CardLast4, CancellationToken.None);
                if (closed.Outcome == FulfilmentOutcome.Closed) await PauseAsync(db, workspaceId, now, charge.Message, countFailure: true);
                break;
            default:
                logger.LogInformation("Workspace {WorkspaceId}: auto top-up purchase {PurchaseId} is processing; the webhook completes it", workspaceId, purchase.Id);
                break;
        }
        return purchase.Id;
    }

    /// <summary>Waits Alerts:TopUpRetryMinutes before the next attempt; a counted failure may switch auto top-up off.</summary>
    private async Task PauseAsync(AppDbContext db, int workspaceId, DateTime now, string? failure, bool countFailure)
    {
        var retryAfter = now.AddMinutes(options.Value.TopUpRetryMinutes);
        var failures = countFailure ? 1 : 0;
        // Switching off, its audit entry and its email commit together: the email is never lost to a crash in between.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.AutoTopUps.Where(a => a.WorkspaceId == workspaceId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.FailuresInARow, a => a.FailuresInARow + failures)
            .SetProperty(a => a.LastFailure, a => failure ?? a.LastFailure)
            .SetProperty(a => a.RetryAfterUtc, retryAfter));
        var switchedOff = await db.AutoTopUps
            .Where(a => a.WorkspaceId == workspaceId && a.Enabled && a.FailuresInARow >= AutoTopUpRules.MaxFailuresInARow)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Enabled, false));
        if (switchedOff > 0)
        {
            logger.LogWarning("Workspace {WorkspaceId}: auto top-up switched off after {Count} failed payments in a row", workspaceId, AutoTopUpRules.MaxFailuresInARow);
            db.Record(workspaceId, new Actor(null, CreatedByName), "autotopup.disabled",
                $"Auto top-up switched off after {AutoTopUpRules.MaxFailuresInARow} failed payments in a row");
            await mail.AddAsync(db, workspaceId, "Auto top-up switched off",
                $"Auto top-up was switched off after {AutoTopUpRules.MaxFailuresInARow} failed payments in a row. The last one: {failure} "
                + "Check the card, buy credits on Billing (saving the card again), and switch auto top-up back on.");
            await db.SaveChangesAsync();
        }
        await transaction.CommitAsync();
        if (switchedOff == 0) return;
        notifier.Publish(workspaceId);
        mail.Wake();
    }
}
