using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Alerts;

/// <summary>Where a workspace stands against its threshold: which emails of the current crossing have gone out.</summary>
public enum BalanceAlertLevel
{
    /// <summary>At or above the threshold: the next fall below it sends the low-balance email.</summary>
    Armed = 0,
    LowSent = 1,
    /// <summary>The balance reached zero and the "API usage stopped" email went out.</summary>
    ZeroSent = 2,
}

/// <summary>A workspace's low-balance alert (no row: alerts are off). One row per workspace.</summary>
public class BalanceAlert
{
    public int WorkspaceId { get; set; }
    public long ThresholdMicros { get; set; }
    /// <summary>Moved only by conditional UPDATEs (see <see cref="BalanceAlertChecker"/>), so each email of a crossing is claimed once.</summary>
    public BalanceAlertLevel Level { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

internal sealed class BalanceAlertConfiguration : IEntityTypeConfiguration<BalanceAlert>
{
    public void Configure(EntityTypeBuilder<BalanceAlert> builder)
    {
        builder.HasKey(a => a.WorkspaceId);
        builder.HasOne<Workspace>().WithOne().HasForeignKey<BalanceAlert>(a => a.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t => t.HasCheckConstraint("CK_BalanceAlerts_ThresholdPositive", "\"ThresholdMicros\" > 0"));
    }
}
