using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;

namespace WorkspaceApp.Features.Workspaces;

public sealed class WorkspaceService(
    IDbContextFactory<AppDbContext> dbFactory,
    IOptions<WorkspaceOptions> options,
    WorkspaceChangeNotifier notifier,
    TimeProvider clock)
{
    /// <summary>Adds a workspace with its owner to <paramref name="db"/>; the caller saves, inside its transaction.</summary>
    public Workspace Add(AppDbContext db, string name, string ownerUserId, Actor actor, WorkspacePlan plan = WorkspacePlan.Trial)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var workspace = new Workspace
        {
            Name = name.Trim(),
            Plan = plan,
            CreatedAtUtc = now,
            TrialEndsAtUtc = now.AddDays(options.Value.TrialDays),
        };
        workspace.Members.Add(new WorkspaceMember { UserId = ownerUserId, Role = WorkspaceRole.Owner, JoinedAtUtc = now });
        db.Workspaces.Add(workspace);
        return workspace;
    }

    /// <summary>
    /// The user's workspace: the one they chose last (AppUser.CurrentWorkspaceId) while they are still its member,
    /// otherwise the first one they joined.
    /// </summary>
    public async Task<WorkspaceSummary?> FindForUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Summaries(db, userId)
            .OrderBy(m => m.WorkspaceId == m.User.CurrentWorkspaceId ? 0 : 1).ThenBy(m => m.JoinedAtUtc).ThenBy(m => m.Id)
            .Select(AsSummary)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>That workspace as the user sees it, or null when they are not (or no longer) its member.</summary>
    public async Task<WorkspaceSummary?> FindForUserAsync(string userId, int workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Summaries(db, userId).Where(m => m.WorkspaceId == workspaceId).Select(AsSummary).FirstOrDefaultAsync(ct);
    }

    /// <summary>Every workspace the user belongs to, in the order they joined (the switcher's list).</summary>
    public async Task<IReadOnlyList<WorkspaceSummary>> ListForUserAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Summaries(db, userId).OrderBy(m => m.JoinedAtUtc).ThenBy(m => m.Id).Select(AsSummary).ToListAsync(ct);
    }

    private static IQueryable<WorkspaceMember> Summaries(AppDbContext db, string userId) =>
        db.Set<WorkspaceMember>().AsNoTracking().Where(m => m.UserId == userId);

    private static readonly System.Linq.Expressions.Expression<Func<WorkspaceMember, WorkspaceSummary>> AsSummary = m => new WorkspaceSummary(
        m.WorkspaceId, m.Workspace.Name, m.Workspace.Plan, m.Workspace.TrialEndsAtUtc, m.Workspace.BalanceMicros, m.Role, m.Workspace.PlanChangeReason);

    /// <summary>Changes the plan and records who did it. Callers check authorization first.</summary>
    public async Task SetPlanAsync(int workspaceId, WorkspacePlan plan, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceId, ct);
        if (!ChangePlan(db, workspace, plan, actor)) return;
        await db.SaveChangesAsync(ct);
        notifier.Publish(workspaceId);
    }

    /// <summary>
    /// Changes the plan of a tracked workspace and adds the audit event, for the caller to save in its transaction.
    /// <paramref name="reason"/> says why when the user did not choose it (shown on Billing); false when nothing changed.
    /// </summary>
    public static bool ChangePlan(AppDbContext db, Workspace workspace, WorkspacePlan plan, Actor actor, string? reason = null)
    {
        if (workspace.Plan == plan) return false;
        var previous = workspace.Plan;
        workspace.Plan = plan;
        workspace.PlanChangeReason = reason;
        db.Record(workspace.Id, actor, "plan.changed", $"Plan changed from {previous} to {plan}" + (reason is null ? "" : $": {reason}"));
        return true;
    }
}
