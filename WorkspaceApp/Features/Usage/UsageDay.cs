using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// The usage records of one closed UTC day summed per key and model (see <see cref="UsageRollup"/>): the Usage page
/// reads these for past days, so a year of traffic is a few thousand rows instead of millions. Records are never
/// changed, so a closed day's sums never change either.
/// </summary>
public class UsageDay
{
    public int WorkspaceId { get; set; }
    public DateOnly Day { get; set; }
    public int ApiKeyId { get; set; }
    public required string Model { get; set; }
    public long Served { get; set; }
    public long Refused { get; set; }
    public long Failed { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    public long CostMicros { get; set; }
}

/// <summary>How far a workspace's records are summed into <see cref="UsageDay"/> rows: every day up to ThroughDay.</summary>
public class UsageRollupMark
{
    public int WorkspaceId { get; set; }
    public DateOnly ThroughDay { get; set; }
}

internal sealed class UsageDayConfiguration : IEntityTypeConfiguration<UsageDay>, IEntityTypeConfiguration<UsageRollupMark>
{
    public void Configure(EntityTypeBuilder<UsageDay> builder)
    {
        builder.ToTable("UsageDays");
        builder.HasKey(d => new { d.WorkspaceId, d.Day, d.ApiKeyId, d.Model });
        builder.Property(d => d.Model).HasMaxLength(64);
    }

    public void Configure(EntityTypeBuilder<UsageRollupMark> builder)
    {
        builder.ToTable("UsageRollupMarks");
        builder.HasKey(m => m.WorkspaceId);
        builder.Property(m => m.WorkspaceId).ValueGeneratedNever();
    }
}
