using System.Security.Claims;

namespace WorkspaceApp.Features.Billing;

public sealed record TestPaymentResult(bool Paid, string? Error, IReadOnlyDictionary<string, string> FieldErrors);

/// <summary>The "payment" of the in-app test checkout: the test cards decide; the amount is the purchase's own.</summary>
public sealed class TestCheckoutService(
    BillingService billing, PurchaseFulfilment fulfilment, AutoTopUpService autoTopUp, BillingMode mode, TimeProvider clock)
{
    public const string Disabled = "The test checkout is switched off: this app takes payments through Stripe. "
        + "This purchase cannot be paid here; start a new purchase on Billing.";

    private static readonly Dictionary<string, string> NoFieldErrors = [];

    /// <summary>False once the app takes real payments: purchases opened in test mode can then never be paid.</summary>
    public bool IsEnabled => mode.IsTest;

    /// <summary>The user's test-checkout purchase, expired first if it waited too long; null when they cannot pay for it.</summary>
    public async Task<Purchase?> FindAsync(ClaimsPrincipal user, int purchaseId, CancellationToken ct = default)
    {
        var purchase = await billing.FindForManagerAsync(user, purchaseId, ct);
        if (purchase is not { Provider: TestPaymentProvider.ProviderName }) return null;
        return fulfilment.IsTestCheckoutStale(purchase) && await fulfilment.ExpireTestCheckoutsAsync(purchase.WorkspaceId, ct) > 0
            ? await billing.FindForManagerAsync(user, purchaseId, ct)
            : purchase;
    }

    public async Task<TestPaymentResult> PayAsync(ClaimsPrincipal user, int purchaseId, TestCardForm card, CancellationToken ct = default)
    {
        if (!IsEnabled) return Failed(Disabled);
        var purchase = await billing.FindForManagerAsync(user, purchaseId, ct);
        if (purchase is null) return Failed(BillingService.NotAllowed);
        if (purchase.Provider != TestPaymentProvider.ProviderName) return Failed("This purchase is not paid through the test checkout.");
        if (fulfilment.IsTestCheckoutStale(purchase))
        {
            await fulfilment.CloseUnpaidAsync(purchase.Id, PurchaseStatus.Expired, PurchaseFulfilment.TestCheckoutExpired, ct: ct);
            return Failed(PurchaseFulfilment.TestCheckoutExpired);
        }
        if (purchase.Status != PurchaseStatus.Pending)
        {
            return Failed($"This checkout is closed: the purchase is {purchase.Status.ToString().ToLowerInvariant()}.");
        }

        var fieldErrors = TestCards.Validate(card, clock.GetUtcNow().UtcDateTime, out var outcome, out var last4);
        if (fieldErrors.Count > 0) return new TestPaymentResult(false, null, fieldErrors);

        if (TestCards.OutcomeMessage(outcome) is { } declined)
        {
            await fulfilment.CloseUnpaidAsync(purchase.Id, PurchaseStatus.Failed, declined, last4, ct);
            return Failed(declined);
        }
        var result = await fulfilment.CreditPaidAsync(
            purchase.Id, purchase.AmountCents, purchase.Currency, $"test_pay_{Guid.NewGuid():N}", last4, ct);
        if (result.Outcome == FulfilmentOutcome.Credited && purchase.SaveCard)
        {
            await autoTopUp.SaveCardAsync(purchase.WorkspaceId, TestPaymentProvider.ProviderName, null, TestCards.Digits(card.Number), last4, ct);
        }
        return result.Outcome is FulfilmentOutcome.Credited or FulfilmentOutcome.AlreadyCredited
            ? new TestPaymentResult(true, null, NoFieldErrors)
            : Failed(result.Message ?? "The payment could not be completed.");
    }

    private static TestPaymentResult Failed(string error) => new(false, error, NoFieldErrors);
}
