namespace WorkspaceApp.Features.Billing;

public enum SavedCardOutcome
{
    Paid,
    /// <summary>Declined, or the bank wants the cardholder present (authentication): nothing was charged.</summary>
    Declined,
    /// <summary>Accepted but not settled yet; the provider's webhook reports the outcome.</summary>
    Processing,
}

/// <summary>What the provider said about charging the saved card for a top-up.</summary>
public sealed record SavedCardCharge(SavedCardOutcome Outcome, string? PaymentId = null, long AmountCents = 0, string Currency = PurchaseRules.Currency, string? Message = null)
{
    public static SavedCardCharge Declined(string message) => new(SavedCardOutcome.Declined, Message: message);
}
