using System.Globalization;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace WorkspaceApp.Features.Billing;

/// <summary>Stripe Checkout: credits in payment mode (EUR, 100 cents x credits), Pro in subscription mode.</summary>
internal sealed class StripePaymentProvider(IStripeFacade stripe, IOptions<StripeOptions> options) : IPaymentProvider
{
    public const string ProviderName = "stripe";
    public const string KindCredits = "credits";
    public const string KindPro = "pro";
    public const string KindAutoTopUp = "auto_topup";

    public string Name => ProviderName;
    public bool IsTestMode => false;

    public async Task<CheckoutRedirect> StartCreditsCheckoutAsync(Purchase purchase, string baseUri, CancellationToken ct)
    {
        var purchaseId = purchase.Id.ToString(CultureInfo.InvariantCulture);
        var session = await stripe.CreateCheckoutSessionAsync(new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = purchaseId,
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = purchase.Credits,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = PurchaseRules.Currency,
                        UnitAmount = PurchaseRules.CentsPerCredit,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = "API credits" },
                    },
                },
            ],
            Metadata = new Dictionary<string, string>
            {
                ["kind"] = KindCredits,
                ["workspace_id"] = purchase.WorkspaceId.ToString(CultureInfo.InvariantCulture),
                ["purchase_id"] = purchaseId,
            },
            SuccessUrl = $"{baseUri}billing?purchase={purchaseId}&session_id={{CHECKOUT_SESSION_ID}}",
            CancelUrl = $"{baseUri}billing?purchase={purchaseId}",
            // Saving the card for auto top-up: Stripe keeps it on a customer, usable without the cardholder.
            CustomerCreation = purchase.SaveCard ? "always" : null,
            PaymentIntentData = purchase.SaveCard ? new SessionPaymentIntentDataOptions { SetupFutureUsage = "off_session" } : null,
        }, $"purchase-{purchaseId}", ct);
        return new CheckoutRedirect(session.Id, session.Url);
    }

    public async Task<CheckoutRedirect?> StartProCheckoutAsync(int workspaceId, string userId, string baseUri, CancellationToken ct)
    {
        var priceId = options.Value.ProPriceId;
        if (string.IsNullOrWhiteSpace(priceId)) throw new InvalidOperationException("Stripe:ProPriceId is not configured."); // refused at start
        var workspace = workspaceId.ToString(CultureInfo.InvariantCulture);
        var session = await stripe.CreateCheckoutSessionAsync(new SessionCreateOptions
        {
            Mode = "subscription",
            ClientReferenceId = workspace,
            LineItems = [new SessionLineItemOptions { Price = priceId, Quantity = 1 }],
            Metadata = new Dictionary<string, string> { ["kind"] = KindPro, ["workspace_id"] = workspace, ["user_id"] = userId },
            // On the subscription too, so its later events can be traced to the workspace even before the checkout's.
            SubscriptionData = new SessionSubscriptionDataOptions { Metadata = new Dictionary<string, string> { ["workspace_id"] = workspace } },
            SuccessUrl = $"{baseUri}billing?session_id={{CHECKOUT_SESSION_ID}}",
            CancelUrl = $"{baseUri}billing",
        }, $"pro-{workspace}-{Guid.NewGuid():N}", ct);
        return new CheckoutRedirect(session.Id, session.Url);
    }

    /// <summary>
    /// An off-session PaymentIntent, confirmed at once. The idempotency key is the purchase's, so asking again for the
    /// same top-up (a retry after a lost answer) never charges twice.
    /// </summary>
    public async Task<SavedCardCharge> ChargeSavedCardAsync(Purchase purchase, AutoTopUpSettings card, CancellationToken ct)
    {
        var purchaseId = purchase.Id.ToString(CultureInfo.InvariantCulture);
        try
        {
            var intent = await stripe.CreatePaymentIntentAsync(new PaymentIntentCreateOptions
            {
                Amount = purchase.AmountCents,
                Currency = PurchaseRules.Currency,
                Customer = card.CustomerId,
                PaymentMethod = card.PaymentMethodId,
                OffSession = true,
                Confirm = true,
                Description = $"Auto top-up: {purchase.Credits} API credits",
                Metadata = new Dictionary<string, string>
                {
                    ["kind"] = KindAutoTopUp,
                    ["workspace_id"] = purchase.WorkspaceId.ToString(CultureInfo.InvariantCulture),
                    ["purchase_id"] = purchaseId,
                },
            }, $"topup-{purchaseId}", ct);
            return intent.Status switch
            {
                "succeeded" => new SavedCardCharge(SavedCardOutcome.Paid, intent.Id, intent.AmountReceived, intent.Currency),
                "processing" => new SavedCardCharge(SavedCardOutcome.Processing, intent.Id),
                _ => SavedCardCharge.Declined(NeedsAuthentication),
            };
        }
        catch (StripeException ex) when (ex.StripeError?.Type == "card_error")
        {
            return SavedCardCharge.Declined(ex.StripeError.Code == "authentication_required" ? NeedsAuthentication : ex.StripeError.Message ?? "The card was declined.");
        }
    }

    public const string NeedsAuthentication = "The bank asks the cardholder to confirm this payment, which auto top-up cannot do. Buy credits on Billing instead.";
}
