using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.Audit;

/// <summary>An append-only record of who did what in a workspace (keys, purchases, plan changes).</summary>
public class AuditEvent
{
    public long Id { get; set; }
    public int WorkspaceId { get; set; }
    public string? ActorUserId { get; set; }
    public required string ActorName { get; set; }
    public required string Action { get; set; }
    public required string Details { get; set; }
    public DateTime AtUtc { get; set; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.Property(e => e.ActorName).HasMaxLength(256);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.Details).HasMaxLength(1024);
        builder.HasIndex(e => new { e.WorkspaceId, e.Id });
    }
}
