using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.Billing;

public enum PurchaseStatus
{
    Pending = 0,
    Paid = 1,
    Failed = 2,
    Expired = 3,
}

/// <summary>An order for API credits, from checkout to its outcome.</summary>
public class Purchase
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }
    public int Credits { get; set; }
    /// <summary>Total in euro cents (credits x 100), taken from the payment provider once paid.</summary>
    public long AmountCents { get; set; }
    public required string Currency { get; set; }
    public PurchaseStatus Status { get; set; }
    public required string Provider { get; set; }
    /// <summary>The provider's checkout id (Stripe Checkout Session id, or the test provider's id).</summary>
    public string? ProviderSessionId { get; set; }
    public string? ProviderPaymentId { get; set; }
    public string? FailureMessage { get; set; }
    public string? CardLast4 { get; set; }
    public required string CreatedByUserId { get; set; }
    public required string CreatedByName { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
    /// <summary>Euro cents the provider refunded or lost to disputes; credits taken back for them are in the ledger.</summary>
    public long RefundedCents { get; set; }
    /// <summary>
    /// Micro-credits a refund could not take back because they were already spent (the balance never goes below zero).
    /// </summary>
    public long ShortfallMicros { get; set; }
    /// <summary>Bought by auto top-up with the saved card, not at a checkout.</summary>
    public bool AutoTopUp { get; set; }
    /// <summary>The buyer asked to save the card for auto top-up when this purchase is paid.</summary>
    public bool SaveCard { get; set; }
}

internal sealed class PurchaseConfiguration : IEntityTypeConfiguration<Purchase>
{
    public void Configure(EntityTypeBuilder<Purchase> builder)
    {
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.Provider).HasMaxLength(16);
        builder.Property(p => p.ProviderSessionId).HasMaxLength(255);
        builder.Property(p => p.ProviderPaymentId).HasMaxLength(255);
        builder.Property(p => p.FailureMessage).HasMaxLength(512);
        builder.Property(p => p.CardLast4).HasMaxLength(4);
        builder.Property(p => p.CreatedByName).HasMaxLength(256);
        builder.HasIndex(p => p.ProviderSessionId).IsUnique().HasFilter("\"ProviderSessionId\" IS NOT NULL");
        builder.HasIndex(p => new { p.WorkspaceId, p.Id });
        // Auto top-ups of a month are summed against the monthly limit.
        builder.HasIndex(p => new { p.WorkspaceId, p.AutoTopUp, p.CreatedAtUtc });
    }
}
