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
