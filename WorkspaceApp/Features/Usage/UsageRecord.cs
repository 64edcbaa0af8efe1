using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.Usage;

/// <summary>One API request: which key, which model, how many tokens, what it cost and how it ended.</summary>
public class UsageRecord
{
    public long Id { get; set; }
    public int WorkspaceId { get; set; }
    public int ApiKeyId { get; set; }
    public required string Model { get; set; }
    public int InputTokens { get; set; }
    public int OutputTokens { get; set; }
    public long CostMicros { get; set; }
    /// <summary>"succeeded", "upstream_failed", "insufficient_credits", "api_credits_required", or for a stream cut short and charged for what it produced, "client_aborted" or "upstream_interrupted".</summary>
    public required string Status { get; set; }
    public DateTime AtUtc { get; set; }
}

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> builder)
    {
        builder.Property(u => u.Model).HasMaxLength(64);
        builder.Property(u => u.Status).HasMaxLength(32);
        builder.HasIndex(u => u.ApiKeyId);
        // The Usage page and its CSV export read one workspace's records of a time range, in time order. No other
        // index on WorkspaceId: every metered request writes a record, and each index is one more page per commit.
        builder.HasIndex(u => new { u.WorkspaceId, u.AtUtc, u.Id });
    }
}
