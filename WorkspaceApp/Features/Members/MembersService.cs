using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;
using static WorkspaceApp.Features.Members.MembersMessages;

namespace WorkspaceApp.Features.Members;

/// <summary>
/// The members of a workspace: list, change role, remove, leave, transfer ownership. Every rule is checked here,
/// inside a transaction that holds the workspace, so "at least one owner" survives concurrent changes.
/// </summary>
public sealed class MembersService(IDbContextFactory<AppDbContext> dbFactory, WorkspaceAccess access, WorkspaceChangeNotifier notifier, TimeProvider clock)
{
    public async Task<WorkspaceResult<MembersView>> ListAsync(ClaimsPrincipal user, int workspaceId, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.View)) return WorkspaceResult.Fail<MembersView>(UserWorkspaces.NotAMember);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var members = await db.WorkspaceMembers.AsNoTracking().Where(m => m.WorkspaceId == workspaceId)
            .OrderBy(m => m.Role).ThenBy(m => m.JoinedAtUtc).ThenBy(m => m.Id)
            .Select(m => new MemberRow(m.UserId, m.User.Email ?? m.User.UserName ?? "", m.Role, m.JoinedAtUtc))
            .ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var invitations = await db.Invitations.AsNoTracking()
            .Where(i => i.WorkspaceId == workspaceId && i.AcceptedAtUtc == null && i.RevokedAtUtc == null)
            .OrderByDescending(i => i.Id)
            .Select(i => new InvitationRow(i.Id, i.Email, i.Role, i.InvitedByName, i.CreatedAtUtc, i.ExpiresAtUtc, i.ExpiresAtUtc <= now))
            .ToListAsync(ct);
        return WorkspaceResult.Ok(new MembersView(members, invitations));
    }

    public Task<WorkspaceResult<WorkspaceRole>> ChangeRoleAsync(ClaimsPrincipal user, int workspaceId, string memberUserId, WorkspaceRole role, CancellationToken ct = default) =>
        ChangeAsync(user, workspaceId, memberUserId, WorkspacePolicies.ManageWorkspace, async (db, caller, target) =>
        {
            if ((role == WorkspaceRole.Owner || target.Role == WorkspaceRole.Owner) && caller != WorkspaceRole.Owner) return OnlyOwner;
            if (target.Role == role) return null;
            if (target.Role == WorkspaceRole.Owner && await IsLastOwnerAsync(db, workspaceId, ct)) return LastOwner;
            db.Record(workspaceId, Actor.From(user), "member.role-changed", $"{await EmailAsync(db, target.UserId, ct)} changed from {target.Role} to {role}");
            target.Role = role;
            return null;
        }, role, ct);

    public Task<WorkspaceResult<WorkspaceRole>> RemoveAsync(ClaimsPrincipal user, int workspaceId, string memberUserId, CancellationToken ct = default) =>
        ChangeAsync(user, workspaceId, memberUserId, WorkspacePolicies.ManageWorkspace, async (db, caller, target) =>
        {
            if (target.Role == WorkspaceRole.Owner && caller != WorkspaceRole.Owner) return OnlyOwner;
            if (target.Role == WorkspaceRole.Owner && await IsLastOwnerAsync(db, workspaceId, ct)) return LastOwner;
            db.Record(workspaceId, Actor.From(user), "member.removed", $"{await EmailAsync(db, target.UserId, ct)} ({target.Role}) removed");
            await DeleteAsync(db, target, ct);
            return null;
        }, WorkspaceRole.Member, ct);

    /// <summary>The caller leaves; the last owner cannot (the workspace would have nobody to run it).</summary>
    public Task<WorkspaceResult<WorkspaceRole>> LeaveAsync(ClaimsPrincipal user, int workspaceId, CancellationToken ct = default) =>
        ChangeAsync(user, workspaceId, UserId(user), WorkspacePolicies.View, async (db, _, target) =>
        {
            if (target.Role == WorkspaceRole.Owner && await IsLastOwnerAsync(db, workspaceId, ct))
            {
                return "You are the last owner: transfer ownership or make someone else an owner before you leave.";
            }
            db.Record(workspaceId, Actor.From(user), "member.left", $"{await EmailAsync(db, target.UserId, ct)} ({target.Role}) left the workspace");
            await DeleteAsync(db, target, ct);
            return null;
        }, WorkspaceRole.Member, ct);

    /// <summary>An owner hands ownership to another member and stays on as an admin.</summary>
    public Task<WorkspaceResult<WorkspaceRole>> TransferOwnershipAsync(ClaimsPrincipal user, int workspaceId, string toUserId, CancellationToken ct = default) =>
        ChangeAsync(user, workspaceId, toUserId, WorkspacePolicies.ManageWorkspace, async (db, caller, target) =>
        {
            if (caller != WorkspaceRole.Owner) return OnlyOwner;
            var self = await db.WorkspaceMembers.SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == UserId(user), ct);
            if (self is null || self.UserId == target.UserId) return "Choose another member to transfer ownership to.";
            db.Record(workspaceId, Actor.From(user), "ownership.transferred", $"Ownership transferred to {await EmailAsync(db, target.UserId, ct)}; {Actor.From(user).Name} is now Admin");
            target.Role = WorkspaceRole.Owner;
            self.Role = WorkspaceRole.Admin;
            return null;
        }, WorkspaceRole.Owner, ct);

    /// <summary>Adds an existing account directly, without an invitation (the ops command line).</summary>
    public async Task<WorkspaceResult<WorkspaceRole>> AddAsync(ClaimsPrincipal user, int workspaceId, string userId, WorkspaceRole role, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.ManageWorkspace)) return WorkspaceResult.Fail<WorkspaceRole>(NotAllowed);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.LockWorkspaceAsync(workspaceId, ct);
        if (role == WorkspaceRole.Owner && await CallerRoleAsync(db, user, workspaceId, ct) != WorkspaceRole.Owner) return WorkspaceResult.Fail<WorkspaceRole>(OnlyOwner);
        var email = await EmailAsync(db, userId, ct);
        if (await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, ct))
        {
            return WorkspaceResult.Fail<WorkspaceRole>($"{email} is already a member of this workspace.");
        }
        db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = workspaceId, UserId = userId, Role = role, JoinedAtUtc = clock.GetUtcNow().UtcDateTime });
        db.Record(workspaceId, Actor.From(user), "member.added", $"{email} added as {role}");
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        notifier.Publish(workspaceId);
        return WorkspaceResult.Ok(role);
    }

    /// <summary>Checks the policy, then runs <paramref name="change"/> on the target member in a transaction holding the workspace.</summary>
    private async Task<WorkspaceResult<WorkspaceRole>> ChangeAsync(
        ClaimsPrincipal user, int workspaceId, string targetUserId, string policy,
        Func<AppDbContext, WorkspaceRole, WorkspaceMember, Task<string?>> change, WorkspaceRole result, CancellationToken ct)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, policy)) return WorkspaceResult.Fail<WorkspaceRole>(policy == WorkspacePolicies.View ? UserWorkspaces.NotAMember : NotAllowed);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.LockWorkspaceAsync(workspaceId, ct);
        var target = await db.WorkspaceMembers.SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == targetUserId, ct);
        if (target is null) return WorkspaceResult.Fail<WorkspaceRole>(NotAMember);
        var caller = await CallerRoleAsync(db, user, workspaceId, ct);
        if (caller is null) return WorkspaceResult.Fail<WorkspaceRole>(NotAllowed);
        if (await change(db, caller.Value, target) is { } error) return WorkspaceResult.Fail<WorkspaceRole>(error);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        notifier.Publish(workspaceId);
        return WorkspaceResult.Ok(result);
    }

    /// <summary>The caller's role, read inside the transaction; the ops command line acts as an owner.</summary>
    internal static async Task<WorkspaceRole?> CallerRoleAsync(AppDbContext db, ClaimsPrincipal user, int workspaceId, CancellationToken ct)
    {
        if (Actor.IsOperator(user)) return WorkspaceRole.Owner;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        return await db.WorkspaceMembers.Where(m => m.WorkspaceId == workspaceId && m.UserId == userId).Select(m => (WorkspaceRole?)m.Role).SingleOrDefaultAsync(ct);
    }

    private static async Task<bool> IsLastOwnerAsync(AppDbContext db, int workspaceId, CancellationToken ct) =>
        await db.WorkspaceMembers.CountAsync(m => m.WorkspaceId == workspaceId && m.Role == WorkspaceRole.Owner, ct) <= 1;

    private static async Task<string> EmailAsync(AppDbContext db, string userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(ct) ?? userId;

    /// <summary>Removes the membership; a user who had this workspace chosen falls back to their next one.</summary>
    private static async Task DeleteAsync(AppDbContext db, WorkspaceMember member, CancellationToken ct)
    {
        db.WorkspaceMembers.Remove(member);
        await db.Users.Where(u => u.Id == member.UserId && u.CurrentWorkspaceId == member.WorkspaceId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.CurrentWorkspaceId, (int?)null), ct);
    }

    private static string UserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
}
