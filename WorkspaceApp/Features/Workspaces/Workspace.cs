using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WorkspaceApp.Features.Workspaces;

public enum WorkspacePlan
{
    Trial = 0,
    Pro = 1,
}

public class Workspace
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public WorkspacePlan Plan { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime TrialEndsAtUtc { get; set; }

    /// <summary>
    /// Current API credit balance in micro-credits (1 credit = 1,000,000). Changed only in the same
    /// transaction as a ledger entry, so it always equals the sum of the workspace's ledger.
    /// </summary>
    public long BalanceMicros { get; set; }

    /// <summary>Credits set aside for API requests in flight (the sum of the workspace's credit holds).</summary>
    public long HeldMicros { get; set; }

    /// <summary>The Stripe subscription that pays for Pro, so its cancellation can be traced back to the workspace.</summary>
    public string? StripeSubscriptionId { get; set; }

    /// <summary>Why the plan last changed when the user did not change it (a cancelled subscription), shown on Billing.</summary>
    public string? PlanChangeReason { get; set; }

    /// <summary>Owners and admins must sign in with two factors before they can manage billing or API keys.</summary>
    public bool RequireTwoFactor { get; set; }

    public List<WorkspaceMember> Members { get; set; } = [];
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.Property(w => w.Name).HasMaxLength(WorkspaceRules.MaxNameLength);
        builder.HasIndex(w => w.Name);
        builder.Property(w => w.StripeSubscriptionId).HasMaxLength(255);
        builder.Property(w => w.PlanChangeReason).HasMaxLength(512);
        builder.HasIndex(w => w.StripeSubscriptionId);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("CK_Workspaces_BalanceNotNegative", "\"BalanceMicros\" >= 0");
            // Holds never exceed the balance: whatever is held can always be paid.
            t.HasCheckConstraint("CK_Workspaces_HeldWithinBalance", "\"HeldMicros\" >= 0 AND \"HeldMicros\" <= \"BalanceMicros\"");
        });
    }
}
