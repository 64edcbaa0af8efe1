using System.Globalization;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// payment_intent.succeeded for an auto top-up: the payment intent is read from Stripe (never trusted from the event
/// body) and credited through the same idempotent fulfilment as checkouts, so the webhook, its replays and the
/// answer the top-up itself received credit once.
/// </summary>
public sealed class StripeTopUps(IStripeFacade stripe, PurchaseFulfilment purchases, IDbContextFactory<AppDbContext> dbFactory, ILogger<StripeTopUps> logger)
{
    public async Task<FulfilmentResult> FulfilAsync(string paymentIntentId, CancellationToken ct = default)
    {
        var intent = await stripe.GetPaymentIntentAsync(paymentIntentId, ct);
        if (Metadata(intent.Metadata, "kind") != StripePaymentProvider.KindAutoTopUp
            || !int.TryParse(Metadata(intent.Metadata, "purchase_id"), CultureInfo.InvariantCulture, out var purchaseId))
        {
            return new FulfilmentResult(FulfilmentOutcome.Ignored); // a checkout's payment: its session events credit it
        }
        if (intent.Status != "succeeded") return new FulfilmentResult(FulfilmentOutcome.NotPaid, purchaseId);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var workspaceId = Metadata(intent.Metadata, "workspace_id");
        var matches = await db.Purchases.AnyAsync(p => p.Id == purchaseId && p.AutoTopUp
            && p.Provider == StripePaymentProvider.ProviderName && p.WorkspaceId.ToString() == workspaceId, ct);
        if (!matches)
        {
            logger.LogWarning("Payment intent {PaymentIntentId} does not belong to auto top-up purchase {PurchaseId}", intent.Id, purchaseId);
            return new FulfilmentResult(FulfilmentOutcome.Ignored);
        }
        return await purchases.CreditPaidAsync(purchaseId, intent.AmountReceived, intent.Currency, intent.Id, null, ct);
    }

    private static string? Metadata(Dictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var value) ? value : null;
}
