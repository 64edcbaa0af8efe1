using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// A workspace's auto top-up: "when the balance falls below X, buy Y credits, at most Z per calendar month (UTC)",
/// and the card saved for it at a purchase. One row per workspace, made when a card is saved or settings are saved.
/// </summary>
public class AutoTopUpSettings
{
    public int WorkspaceId { get; set; }
    public bool Enabled { get; set; }
    public long BelowMicros { get; set; }
    public int Credits { get; set; }
    public int MonthlyLimitCredits { get; set; }

    /// <summary>Declined or refused top-ups since the last one that was paid; at <see cref="AutoTopUpRules.MaxFailuresInARow"/> it switches off.</summary>
    public int FailuresInARow { get; set; }
    public string? LastFailure { get; set; }
    /// <summary>After a failed attempt, no new one before this time.</summary>
    public DateTime? RetryAfterUtc { get; set; }

    /// <summary>Set by the one conditional UPDATE that claims a top-up; while set, no other top-up starts.</summary>
    public DateTime? ClaimedAtUtc { get; set; }

    /// <summary>The provider the card was saved with ("test" or "stripe"): a card is only charged through it.</summary>
    public string? CardProvider { get; set; }
    /// <summary>Stripe's customer of the saved card (none for test cards).</summary>
    public string? CustomerId { get; set; }
    /// <summary>Stripe's payment method id, or the test card's number (a public test number, never a real card).</summary>
    public string? PaymentMethodId { get; set; }
    public string? CardLast4 { get; set; }

    public bool HasCard => PaymentMethodId is not null;
}

internal sealed class AutoTopUpSettingsConfiguration : IEntityTypeConfiguration<AutoTopUpSettings>
{
    public void Configure(EntityTypeBuilder<AutoTopUpSettings> builder)
    {
        builder.ToTable("AutoTopUps");
        builder.HasKey(a => a.WorkspaceId);
        builder.HasOne<Workspace>().WithOne().HasForeignKey<AutoTopUpSettings>(a => a.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.LastFailure).HasMaxLength(512);
        builder.Property(a => a.CardProvider).HasMaxLength(16);
        builder.Property(a => a.CustomerId).HasMaxLength(255);
        builder.Property(a => a.PaymentMethodId).HasMaxLength(255);
        builder.Property(a => a.CardLast4).HasMaxLength(4);
    }
}
