using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// Money that goes back to the customer (a refund, a dispute) takes its credits back: as much as the workspace still
/// has free, the rest recorded as the purchase's shortfall. Each Stripe event applies once.
/// </summary>
public sealed class StripeRefunds(
    IStripeFacade stripe, LedgerService ledger, IDbContextFactory<AppDbContext> dbFactory, WorkspaceChangeNotifier notifier,
    TimeProvider clock, ILogger<StripeRefunds> logger)
{
    public static readonly Actor StripeActor = new(null, "Stripe");

    /// <summary>charge.refunded: Stripe reports the cumulative refunded amount, so only the increase is taken back.</summary>
    public async Task RefundAsync(string eventId, string chargeId, CancellationToken ct = default)
    {
        if (await AlreadyAppliedAsync(eventId, ct)) return;
        // As Stripe reports it now: of several partial refunds, a late event cannot take back too little or twice.
        var charge = await stripe.GetChargeAsync(chargeId, ct);
        await ApplyAsync(eventId, "charge.refunded", charge.PaymentIntentId,
            p => Math.Min(charge.AmountRefunded, p.AmountCents) - p.RefundedCents, "Refund", ct);
    }

    /// <summary>charge.dispute.created: the disputed amount is withdrawn from the payout at once.</summary>
    public async Task DisputeAsync(string eventId, string disputeId, CancellationToken ct = default)
    {
        if (await AlreadyAppliedAsync(eventId, ct)) return;
        var dispute = await stripe.GetDisputeAsync(disputeId, ct);
        var paymentIntentId = dispute.PaymentIntentId ?? (await stripe.GetChargeAsync(dispute.ChargeId, ct)).PaymentIntentId;
        await ApplyAsync(eventId, "charge.dispute.created", paymentIntentId,
            p => Math.Min(dispute.Amount, p.AmountCents - p.RefundedCents), "Dispute", ct);
    }

    private async Task<bool> AlreadyAppliedAsync(string eventId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await WebhookEventLog.WasAppliedAsync(db, eventId, ct);
    }

    private async Task ApplyAsync(
        string eventId, string type, string? paymentIntentId, Func<Purchase, long> newlyReturnedCents, string what, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await WebhookEventLog.ClaimAsync(db, eventId, type, clock.GetUtcNow().UtcDateTime, ct)) return;
        var purchase = paymentIntentId is null ? null : await db.Purchases.SingleOrDefaultAsync(
            p => p.ProviderPaymentId == paymentIntentId && p.Provider == StripePaymentProvider.ProviderName && p.Status == PurchaseStatus.Paid, ct);
        if (purchase is null)
        {
            // A charge that bought no credits (the Pro subscription's invoice): nothing to take back.
            logger.LogInformation("{Type} {EventId}: payment {PaymentIntent} is not a credit purchase", type, eventId, paymentIntentId);
            await transaction.CommitAsync(ct);
            return;
        }

        var cents = newlyReturnedCents(purchase);
        if (cents > 0)
        {
            var returned = Money.FromCents(cents);
            var description = $"{what} of purchase #{purchase.Id}: {Money.FormatEuros(cents)} returned to the customer";
            var taken = await ledger.TakeBackInTransactionAsync(db, purchase.WorkspaceId, returned, description, StripeActor, ct);
            purchase.RefundedCents += cents;
            purchase.ShortfallMicros += returned - taken;
            if (taken == 0) db.Record(purchase.WorkspaceId, StripeActor, "credits.refunded", $"0.00 credits: {description} (already spent)");
            await db.SaveChangesAsync(ct);
            logger.LogInformation("{Type} {EventId}: purchase {PurchaseId}, {Cents} cents, {Shortfall} micro-credits already spent",
                type, eventId, purchase.Id, cents, returned - taken);
        }
        await transaction.CommitAsync(ct);
        notifier.Publish(purchase.WorkspaceId);
    }
}
