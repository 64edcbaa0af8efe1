namespace WorkspaceApp.Features.Billing;

/// <summary>Where the browser goes to pay, and the provider's id for that checkout.</summary>
public sealed record CheckoutRedirect(string SessionId, string Url);

/// <summary>Takes payments: the in-app test checkout, or Stripe Checkout. Chosen by configuration.</summary>
public interface IPaymentProvider
{
    /// <summary>Stored on purchases: "test" or "stripe".</summary>
    string Name { get; }

    bool IsTestMode { get; }

    /// <summary>Opens a checkout for a pending purchase; <paramref name="baseUri"/> is the app's absolute base ("https://host/").</summary>
    Task<CheckoutRedirect> StartCreditsCheckoutAsync(Purchase purchase, string baseUri, CancellationToken ct);

    /// <summary>A checkout for the Pro plan, or null when the provider upgrades at once (test mode).</summary>
    Task<CheckoutRedirect?> StartProCheckoutAsync(int workspaceId, string userId, string baseUri, CancellationToken ct);

    /// <summary>Charges the card saved with this provider for a pending auto top-up, without the cardholder (off-session).</summary>
    Task<SavedCardCharge> ChargeSavedCardAsync(Purchase purchase, AutoTopUpSettings card, CancellationToken ct);
}

internal sealed class TestPaymentProvider : IPaymentProvider
{
    public const string ProviderName = "test";
    public string Name => ProviderName;
    public bool IsTestMode => true;

    public Task<CheckoutRedirect> StartCreditsCheckoutAsync(Purchase purchase, string baseUri, CancellationToken ct) =>
        Task.FromResult(new CheckoutRedirect($"test_{Guid.NewGuid():N}", $"{baseUri}billing/checkout/{purchase.Id}"));

    public Task<CheckoutRedirect?> StartProCheckoutAsync(int workspaceId, string userId, string baseUri, CancellationToken ct) =>
        Task.FromResult<CheckoutRedirect?>(null);

    /// <summary>The saved test card decides, as at the test checkout: 4242... pays, 4000 0000 0000 0002 is declined.</summary>
    public Task<SavedCardCharge> ChargeSavedCardAsync(Purchase purchase, AutoTopUpSettings card, CancellationToken ct) =>
        Task.FromResult(TestCards.OutcomeMessage(TestCards.OutcomeOf(card.PaymentMethodId)) is { } declined
            ? SavedCardCharge.Declined(declined)
            : new SavedCardCharge(SavedCardOutcome.Paid, $"test_pay_{Guid.NewGuid():N}", purchase.AmountCents));
}
