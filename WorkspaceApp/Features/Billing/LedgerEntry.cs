using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.Billing;

public enum LedgerEntryKind
{
    Purchase = 0,
    Usage = 1,
    Adjustment = 2,
    Refund = 3,
}

/// <summary>
/// Append-only: rows are never updated or deleted. The workspace balance is the sum of its entries,
/// and BalanceAfterMicros records the running total at the time the entry was written.
/// </summary>
public class LedgerEntry
{
    public long Id { get; set; }
    public int WorkspaceId { get; set; }
    public LedgerEntryKind Kind { get; set; }
    /// <summary>Signed amount in micro-credits: positive credits the balance, negative debits it.</summary>
    public long AmountMicros { get; set; }
    public long BalanceAfterMicros { get; set; }
    /// <summary>Set on purchase entries; unique, so a purchase can never be credited twice.</summary>
    public int? PurchaseId { get; set; }
    public required string Description { get; set; }
    public string? ActorName { get; set; }
    public DateTime AtUtc { get; set; }
}

internal sealed class LedgerEntryConfiguration : IEntityTypeConfiguration<LedgerEntry>
{
    public void Configure(EntityTypeBuilder<LedgerEntry> builder)
    {
        builder.Property(e => e.Description).HasMaxLength(512);
        builder.Property(e => e.ActorName).HasMaxLength(256);
        builder.HasIndex(e => new { e.WorkspaceId, e.Id });
        builder.HasIndex(e => e.PurchaseId).IsUnique().HasFilter("\"PurchaseId\" IS NOT NULL");
    }
}
