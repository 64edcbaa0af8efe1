using System.Security.Claims;

namespace WorkspaceApp.Features.Billing;

public sealed record TestPaymentResult(bool Paid, string? Error, IReadOnlyDictionary<string, string> FieldErrors);

/// <summary>The "payment" of the in-app test checkout: the test cards decide; the amount is the purchase's own.</summary>
public sealed class TestCheckoutService(BillingService billing, PurchaseFulfilment fulfilment, TimeProvider clock)
{
    private static readonly Dictionary<string, string> NoFieldErrors = [];

    public async Task<TestPaymentResult> PayAsync(ClaimsPrincipal user, int purchaseId, TestCardForm card, CancellationToken ct = default)
    {
        var purchase = await billing.FindForManagerAsync(user, purchaseId, ct);
        if (purchase is null) return Failed(BillingService.NotAllowed);
        if (purchase.Provider != TestPaymentProvider.ProviderName) return Failed("This purchase is not paid through the test checkout.");
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
        return result.Outcome is FulfilmentOutcome.Credited or FulfilmentOutcome.AlreadyCredited
            ? new TestPaymentResult(true, null, NoFieldErrors)
            : Failed(result.Message ?? "The payment could not be completed.");
    }

    private static TestPaymentResult Failed(string error) => new(false, error, NoFieldErrors);
}
