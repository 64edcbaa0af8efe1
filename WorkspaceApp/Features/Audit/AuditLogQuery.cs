using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Audit;

public sealed record AuditEntry(long Id, DateTime AtUtc, string ActorName, string Action, string Details);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int TotalCount);

/// <summary>Reads a workspace's audit log, newest first, one page at a time (index on WorkspaceId, Id).</summary>
public sealed class AuditLogQuery(IDbContextFactory<AppDbContext> dbFactory, WorkspaceAccess access)
{
    public const int MaxPageSize = 100;

    /// <summary>The page, or null when the user may not view the workspace.</summary>
    public async Task<AuditPage?> GetPageAsync(ClaimsPrincipal user, int workspaceId, int page, int pageSize, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.View)) return null;
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        page = Math.Max(0, page);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var events = db.AuditEvents.AsNoTracking().Where(e => e.WorkspaceId == workspaceId);
        var total = await events.CountAsync(ct);
        var items = await events
            .OrderByDescending(e => e.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(e => new AuditEntry(e.Id, e.AtUtc, e.ActorName, e.Action, e.Details))
            .ToListAsync(ct);
        return new AuditPage(items, total);
    }

    /// <summary>"key.generated" reads as "API key generated"; actions without a label show as they are.</summary>
    public static string Describe(string action) => action switch
    {
        "key.generated" => "API key generated",
        "key.rotated" => "API key rotated",
        "key.revoked" => "API key revoked",
        "credits.purchased" => "Credits purchased",
        "credits.adjusted" => "Credits adjusted",
        "credits.refunded" => "Credits refunded",
        "plan.changed" => "Plan changed",
        "workspace.created" => "Workspace created",
        "workspace.renamed" => "Workspace renamed",
        "member.invited" => "Member invited",
        "invitation.resent" => "Invitation resent",
        "invitation.revoked" => "Invitation revoked",
        "member.joined" => "Member joined",
        "member.added" => "Member added",
        "member.role-changed" => "Role changed",
        "member.removed" => "Member removed",
        "member.left" => "Member left",
        "ownership.transferred" => "Ownership transferred",
        _ => action,
    };
}
