using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Members;

/// <summary>
/// An invitation to join a workspace. The link's token is stored only as its SHA-256 hash; resending replaces the
/// hash, so the old link stops working. Accepted and revoked invitations stay as history.
/// </summary>
public class Invitation
{
    public int Id { get; set; }
    public int WorkspaceId { get; set; }
    public Workspace Workspace { get; set; } = null!;

    /// <summary>As typed (trimmed), for display and for the email.</summary>
    public required string Email { get; set; }

    /// <summary>Upper-cased like Identity's NormalizedEmail, so matching an account ignores case.</summary>
    public required string NormalizedEmail { get; set; }

    public WorkspaceRole Role { get; set; }
    public required byte[] TokenHash { get; set; }
    public string? InvitedByUserId { get; set; }
    public required string InvitedByName { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime? AcceptedAtUtc { get; set; }
    public string? AcceptedByUserId { get; set; }
    public DateTime? RevokedAtUtc { get; set; }

    public bool IsPending => AcceptedAtUtc is null && RevokedAtUtc is null;
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.NormalizedEmail).HasMaxLength(256);
        builder.Property(i => i.InvitedByName).HasMaxLength(256);
        builder.Property(i => i.TokenHash).HasMaxLength(32);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => new { i.WorkspaceId, i.NormalizedEmail });
        builder.HasOne(i => i.Workspace).WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
