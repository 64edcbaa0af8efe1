using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.ApiKeys;

public enum ApiKeyStatus
{
    Active = 0,
    Revoked = 1,
    Rotated = 2,
}

/// <summary>A workspace API key. Only its SHA-256 hash and a display hint are stored, never the key.</summary>
public class ApiKey
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }
    public required string Name { get; set; }
    public required byte[] KeyHash { get; set; }
    /// <summary>"wsk_AbCd...wxyz": enough to recognise a key, useless to an attacker.</summary>
    public required string Hint { get; set; }
    public ApiKeyStatus Status { get; set; }
    public string? CreatedByUserId { get; set; }
    public required string CreatedByName { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? LastUsedAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
    public string? RevokedByName { get; set; }
    public int? ReplacedByKeyId { get; set; }

    // Limits and expiry (see KeyLimits.cs). A rotated key whose RevokedAtUtc is still ahead is in its grace period.
    public ApiKeyLimitPeriod LimitPeriod { get; set; }
    public long? LimitMicros { get; set; }
    public DateTime? ExpiresAtUtc { get; set; }
    /// <summary>When the "expires in 7 days" email was queued: once per key.</summary>
    public DateTime? ExpiryWarnedAtUtc { get; set; }

    // Counters kept by the credit meter for every key (Metering/KeyLimitSql.cs explains the exactness).
    public long LimitHeldMicros { get; set; }
    public long SpentDayMicros { get; set; }
    public DateTime? SpentDayStartUtc { get; set; }
    public long SpentMonthMicros { get; set; }
    public DateTime? SpentMonthStartUtc { get; set; }
    public long SpentTotalMicros { get; set; }

    /// <summary>What the key spent in the current window of its limit period (in total when it has none).</summary>
    public long SpentNow(DateTime nowUtc)
    {
        var (today, thisMonth) = KeyLimitRules.WindowStarts(nowUtc);
        return LimitPeriod switch
        {
            ApiKeyLimitPeriod.Day => SpentDayStartUtc >= today ? SpentDayMicros : 0,
            ApiKeyLimitPeriod.Month => SpentMonthStartUtc >= thisMonth ? SpentMonthMicros : 0,
            _ => SpentTotalMicros,
        };
    }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.Property(k => k.Name).HasMaxLength(64);
        builder.Property(k => k.KeyHash).HasMaxLength(32);
        builder.Property(k => k.Hint).HasMaxLength(32);
        builder.Property(k => k.CreatedByName).HasMaxLength(256);
        builder.Property(k => k.RevokedByName).HasMaxLength(256);
        builder.HasIndex(k => k.KeyHash).IsUnique();
        // Names are unique among a workspace's active keys; revoked and rotated keys keep theirs as history.
        builder.HasIndex(k => new { k.WorkspaceId, k.Name }).IsUnique().HasFilter("\"Status\" = 0");
        builder.HasIndex(k => new { k.WorkspaceId, k.Status });
    }
}
