namespace WorkspaceApp.Features.Billing;

/// <summary>A billing action's outcome: a value, or a message a person can act on.</summary>
public sealed record BillingResult<T>(T? Value, string? Error)
{
    public bool Succeeded => Error is null;
}

public static class BillingResult
{
    public static BillingResult<T> Ok<T>(T? value) => new(value, null);
    public static BillingResult<T> Fail<T>(string error) => new(default, error);
}

/// <summary>A purchase as the Billing page shows it.</summary>
public sealed record PurchaseView(
    int Id, int Credits, long AmountCents, PurchaseStatus Status, string Provider, string? CardLast4, string? FailureMessage,
    string CreatedByName, DateTime CreatedAtUtc, DateTime? CompletedAtUtc, long RefundedCents = 0, long ShortfallMicros = 0,
    bool AutoTopUp = false)
{
    public bool IsTest => Provider == TestPaymentProvider.ProviderName;

    /// <summary>The status, with refunds (and disputes) of a paid purchase told apart without a status of their own.</summary>
    public string StatusLabel => Status switch
    {
        PurchaseStatus.Paid when RefundedCents >= AmountCents && RefundedCents > 0 => "Refunded",
        PurchaseStatus.Paid when RefundedCents > 0 => "Partially refunded",
        _ => Status.ToString(),
    };

    internal static PurchaseView From(Purchase p) => new(
        p.Id, p.Credits, p.AmountCents, p.Status, p.Provider, p.CardLast4, p.FailureMessage, p.CreatedByName, p.CreatedAtUtc, p.CompletedAtUtc,
        p.RefundedCents, p.ShortfallMicros, p.AutoTopUp);
}
