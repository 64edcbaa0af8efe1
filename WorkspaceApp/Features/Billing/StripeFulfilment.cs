using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Stripe.Checkout;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// Acts on a Stripe Checkout Session as Stripe reports it (read from Stripe, never from the browser or the event body):
/// the webhook and the return page both call <see cref="FulfilAsync"/>, which is idempotent.
/// </summary>
public sealed class StripeFulfilment(
    IStripeFacade stripe, PurchaseFulfilment purchases, WorkspaceChangeNotifier notifier, AutoTopUpService autoTopUp,
    IDbContextFactory<AppDbContext> dbFactory, ILogger<StripeFulfilment> logger)
{
    public async Task<FulfilmentResult> FulfilAsync(string sessionId, CancellationToken ct = default)
    {
        var session = await stripe.GetCheckoutSessionAsync(sessionId, ct);
        if (Metadata(session, "kind") == StripePaymentProvider.KindPro) return await UpgradeAsync(session, ct);

        if (await FindPurchaseAsync(session, ct) is not { } purchaseId) return new FulfilmentResult(FulfilmentOutcome.Ignored);
        if (session.PaymentStatus == "paid")
        {
            var result = await purchases.CreditPaidAsync(purchaseId, session.AmountTotal ?? 0, session.Currency ?? "", session.PaymentIntentId, null, ct);
            if (result.Outcome == FulfilmentOutcome.Credited) await SaveCardAsync(purchaseId, session, ct);
            return result;
        }
        if (session.Status == "expired")
        {
            return await purchases.CloseUnpaidAsync(purchaseId, PurchaseStatus.Expired, "The checkout expired before payment.", ct: ct);
        }
        // Complete but unpaid: a delayed payment method; async_payment_succeeded or _failed follows.
        return new FulfilmentResult(FulfilmentOutcome.NotPaid, purchaseId);
    }

    /// <summary>A delayed payment failed: the purchase fails, unless Stripe says it is paid after all.</summary>
    public async Task<FulfilmentResult> FailAsync(string sessionId, CancellationToken ct = default)
    {
        var session = await stripe.GetCheckoutSessionAsync(sessionId, ct);
        if (session.PaymentStatus == "paid") return await FulfilAsync(sessionId, ct);
        if (await FindPurchaseAsync(session, ct) is not { } purchaseId) return new FulfilmentResult(FulfilmentOutcome.Ignored);
        return await purchases.CloseUnpaidAsync(purchaseId, PurchaseStatus.Failed, "The payment failed.", ct: ct);
    }

    /// <summary>The card of a checkout that asked to save it (setup_future_usage), kept for auto top-up.</summary>
    private async Task SaveCardAsync(int purchaseId, Session session, CancellationToken ct)
    {
        if (session.CustomerId is not { } customerId || session.PaymentIntentId is not { } intentId) return;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var purchase = await db.Purchases.AsNoTracking().SingleAsync(p => p.Id == purchaseId, ct);
        if (!purchase.SaveCard) return;
        var intent = await stripe.GetPaymentIntentAsync(intentId, ct);
        if (intent.PaymentMethodId is not { } paymentMethodId) return;
        await autoTopUp.SaveCardAsync(purchase.WorkspaceId, StripePaymentProvider.ProviderName, customerId, paymentMethodId, intent.PaymentMethod?.Card?.Last4, ct);
    }

    private async Task<int?> FindPurchaseAsync(Session session, CancellationToken ct)
    {
        if (!int.TryParse(Metadata(session, "purchase_id"), CultureInfo.InvariantCulture, out var purchaseId)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The session must be the one this purchase opened, so that metadata alone cannot credit another purchase.
        var matches = await db.Purchases.AnyAsync(p => p.Id == purchaseId && p.ProviderSessionId == session.Id, ct);
        if (!matches) logger.LogWarning("Checkout session {SessionId} does not belong to purchase {PurchaseId}", session.Id, purchaseId);
        return matches ? purchaseId : null;
    }

    private async Task<FulfilmentResult> UpgradeAsync(Session session, CancellationToken ct)
    {
        if (session.Status != "complete" || session.PaymentStatus is not ("paid" or "no_payment_required")
            || !int.TryParse(Metadata(session, "workspace_id"), CultureInfo.InvariantCulture, out var workspaceId))
        {
            return new FulfilmentResult(FulfilmentOutcome.NotPaid);
        }
        // A replayed event or a reloaded return page of a subscription that has since ended must not bring Pro back.
        if (session.SubscriptionId is { } subscriptionId
            && StripeSubscriptions.HasEnded((await stripe.GetSubscriptionAsync(subscriptionId, ct)).Status))
        {
            return new FulfilmentResult(FulfilmentOutcome.NotPaid);
        }
        var userId = Metadata(session, "user_id");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var name = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct) ?? "Stripe";
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceId, ct);
        // Remembered so that the subscription's cancellation finds this workspace.
        workspace.StripeSubscriptionId = session.SubscriptionId ?? workspace.StripeSubscriptionId;
        var changed = WorkspaceService.ChangePlan(db, workspace, WorkspacePlan.Pro, new Actor(userId, name));
        await db.SaveChangesAsync(ct);
        if (changed) notifier.Publish(workspaceId);
        return new FulfilmentResult(FulfilmentOutcome.Credited);
    }

    private static string? Metadata(Session session, string key) =>
        session.Metadata is { } metadata && metadata.TryGetValue(key, out var value) ? value : null;
}
