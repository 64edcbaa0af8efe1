using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

public enum FulfilmentOutcome
{
    Credited,
    AlreadyCredited,
    NotPaid,
    Closed,
    Ignored,
}

public sealed record FulfilmentResult(FulfilmentOutcome Outcome, int? PurchaseId = null, string? Message = null);

/// <summary>
/// Settles purchases, whichever provider reported the payment: marks a purchase paid and credits the amount paid
/// in one transaction, exactly once however often it is told.
/// </summary>
public sealed class PurchaseFulfilment(
    IDbContextFactory<AppDbContext> dbFactory, LedgerService ledger, WorkspaceChangeNotifier notifier,
    BillingMode mode, TimeProvider clock, ILogger<PurchaseFulfilment> logger)
{
    /// <summary>Records the payment of <paramref name="amountCents"/> (as the provider reports it) and credits it.</summary>
    public async Task<FulfilmentResult> CreditPaidAsync(
        int purchaseId, long amountCents, string currency, string? paymentId, string? cardLast4, CancellationToken ct = default)
    {
        if (!string.Equals(currency, PurchaseRules.Currency, StringComparison.OrdinalIgnoreCase) || amountCents <= 0)
        {
            logger.LogError("Purchase {PurchaseId}: refusing a payment of {Amount} {Currency}", purchaseId, amountCents, currency);
            return new FulfilmentResult(FulfilmentOutcome.Ignored, purchaseId, "The payment amount or currency is not valid.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var purchase = await db.Purchases.SingleOrDefaultAsync(p => p.Id == purchaseId, ct);
        if (purchase is null) return new FulfilmentResult(FulfilmentOutcome.Ignored, purchaseId, "Unknown purchase.");
        if (purchase.Status == PurchaseStatus.Paid) return new FulfilmentResult(FulfilmentOutcome.AlreadyCredited, purchaseId);
        if (amountCents != PurchaseRules.TotalCents(purchase.Credits))
        {
            // The provider's amount is what was paid, so it is what gets credited.
            logger.LogWarning("Purchase {PurchaseId} ordered {Credits} credits but {Amount} cents were paid", purchaseId, purchase.Credits, amountCents);
        }

        purchase.Status = PurchaseStatus.Paid;
        purchase.AmountCents = amountCents;
        purchase.ProviderPaymentId = paymentId ?? purchase.ProviderPaymentId;
        purchase.CardLast4 = cardLast4 ?? purchase.CardLast4;
        purchase.FailureMessage = null;
        purchase.CompletedAtUtc = clock.GetUtcNow().UtcDateTime;
        var credited = await ledger.PostInTransactionAsync(db, purchase.WorkspaceId, LedgerEntryKind.Purchase, Money.FromCents(amountCents),
            $"Purchase #{purchase.Id}: {Money.Format(Money.FromCents(amountCents))} API credits ({Money.FormatEuros(amountCents)})",
            new Actor(purchase.CreatedByUserId, purchase.CreatedByName), purchase.Id, ct);
        if (credited.EntryId is null)
        {
            return credited.AlreadyCredited
                ? new FulfilmentResult(FulfilmentOutcome.AlreadyCredited, purchaseId)
                : new FulfilmentResult(FulfilmentOutcome.Ignored, purchaseId, credited.Error);
        }
        await transaction.CommitAsync(ct);
        notifier.Publish(purchase.WorkspaceId);
        return new FulfilmentResult(FulfilmentOutcome.Credited, purchaseId);
    }

    /// <summary>Ends a pending purchase without payment (failed or expired); a paid purchase stays paid.</summary>
    public async Task<FulfilmentResult> CloseUnpaidAsync(
        int purchaseId, PurchaseStatus status, string message, string? cardLast4 = null, CancellationToken ct = default)
    {
        if (status is not (PurchaseStatus.Failed or PurchaseStatus.Expired)) throw new ArgumentOutOfRangeException(nameof(status));
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.Purchases
            .Where(p => p.Id == purchaseId && p.Status == PurchaseStatus.Pending)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, status)
                .SetProperty(p => p.FailureMessage, message)
                .SetProperty(p => p.CardLast4, p => cardLast4 ?? p.CardLast4)
                .SetProperty(p => p.CompletedAtUtc, now), ct);
        if (changed == 0) return new FulfilmentResult(FulfilmentOutcome.Ignored, purchaseId);
        var workspaceId = await db.Purchases.Where(p => p.Id == purchaseId).Select(p => p.WorkspaceId).SingleAsync(ct);
        notifier.Publish(workspaceId);
        return new FulfilmentResult(FulfilmentOutcome.Closed, purchaseId, message);
    }

    public const string TestCheckoutExpired = "The test checkout expired before payment.";

    /// <summary>True when a pending test-checkout purchase waited longer than Billing:TestCheckoutExpiryMinutes.</summary>
    public bool IsTestCheckoutStale(Purchase purchase) =>
        purchase is { Status: PurchaseStatus.Pending, Provider: TestPaymentProvider.ProviderName }
        && purchase.CreatedAtUtc <= clock.GetUtcNow().UtcDateTime - mode.TestCheckoutExpiry;

    /// <summary>Expires the workspace's stale pending test-checkout purchases (see <see cref="IsTestCheckoutStale"/>).</summary>
    public async Task<int> ExpireTestCheckoutsAsync(int workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var createdBeforeUtc = now - mode.TestCheckoutExpiry;
        return await db.Purchases
            .Where(p => p.WorkspaceId == workspaceId && p.Status == PurchaseStatus.Pending
                && p.Provider == TestPaymentProvider.ProviderName && p.CreatedAtUtc <= createdBeforeUtc)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PurchaseStatus.Expired)
                .SetProperty(p => p.FailureMessage, TestCheckoutExpired)
                .SetProperty(p => p.CompletedAtUtc, now), ct);
    }
}
