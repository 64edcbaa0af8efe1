using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Members;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Data;

public class AppDbContext : IdentityDbContext<AppUser>, IDataProtectionKeyContext
{
    public AppDbContext(DbContextOptions<AppDbContext> options) : base(options)
    {
    }

    /// <summary>For <see cref="PostgresAppDbContext"/>, which shares this model under its own type.</summary>
    protected AppDbContext(DbContextOptions options) : base(options)
    {
    }

    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<WorkspaceMember> WorkspaceMembers => Set<WorkspaceMember>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<LedgerEntry> LedgerEntries => Set<LedgerEntry>();
    public DbSet<Purchase> Purchases => Set<Purchase>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<CreditHold> CreditHolds => Set<CreditHold>();
    public DbSet<AppInstance> AppInstances => Set<AppInstance>();
    public DbSet<UsageRecord> UsageRecords => Set<UsageRecord>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<ProcessedWebhookEvent> ProcessedWebhookEvents => Set<ProcessedWebhookEvent>();
    public DbSet<Features.Alerts.BalanceAlert> BalanceAlerts => Set<Features.Alerts.BalanceAlert>();
    public DbSet<AutoTopUpSettings> AutoTopUps => Set<AutoTopUpSettings>();
    public DbSet<Features.Email.OutboxEmail> OutboxEmails => Set<Features.Email.OutboxEmail>();

    /// <summary>ASP.NET Core Data Protection keys, shared by every instance so cookies and forms survive restarts.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Each feature keeps its entity configuration beside its entities.
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }
}
