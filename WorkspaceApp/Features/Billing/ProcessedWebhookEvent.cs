using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// A payment provider's event that has been applied. Inserted in the same transaction as the event's effect, so the
/// primary key makes every event (refund, dispute, cancellation) take effect once however often it is delivered.
/// </summary>
public class ProcessedWebhookEvent
{
    /// <summary>The provider's event id (Stripe: evt_...).</summary>
    public required string Id { get; set; }
    public required string Type { get; set; }
    public DateTime ProcessedAtUtc { get; set; }
}

internal sealed class ProcessedWebhookEventConfiguration : IEntityTypeConfiguration<ProcessedWebhookEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedWebhookEvent> builder)
    {
        builder.Property(e => e.Id).HasMaxLength(255);
        builder.Property(e => e.Type).HasMaxLength(128);
    }
}
