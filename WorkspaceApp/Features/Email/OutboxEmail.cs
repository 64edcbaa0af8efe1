using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.Email;

/// <summary>
/// A message waiting to be delivered, kept in the database so that a restart or crash does not lose it (an alert is
/// claimed once; its email must survive). The bodies carry sign-in and reset links, so they are stored encrypted with
/// Data Protection, and the row is deleted once delivered or given up.
/// </summary>
public class OutboxEmail
{
    public long Id { get; set; }
    public required string To { get; set; }
    public required string Subject { get; set; }
    /// <summary>The text and HTML bodies, protected (see <see cref="EmailOutbox"/>).</summary>
    public required string ProtectedBody { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>Failed attempts so far.</summary>
    public int Attempts { get; set; }
    /// <summary>Set while an instance delivers it; another instance leaves it alone until then.</summary>
    public DateTime? ClaimedUntilUtc { get; set; }
}

internal sealed class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> builder)
    {
        builder.Property(e => e.To).HasMaxLength(320);
        builder.Property(e => e.Subject).HasMaxLength(500);
    }
}
