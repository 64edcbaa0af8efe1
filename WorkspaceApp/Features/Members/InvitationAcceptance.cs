using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Members;

/// <summary>
/// Opening an invitation link: what it is, and joining with the signed-in account (registering: InvitationRegistration).
/// A link is used at most once: one conditional UPDATE marks it accepted, and only the caller whose UPDATE
/// changed the row adds the membership.
/// </summary>
public sealed class InvitationAcceptance(
    IDbContextFactory<AppDbContext> dbFactory, WorkspaceChangeNotifier notifier, TimeProvider clock)
{
    public async Task<InvitationInfo> InspectAsync(string? token, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return (await FindAsync(db, token, ct)).Info;
    }

    /// <summary>Joins the signed-in user, whose email must be the invited one; anyone else changes nothing.</summary>
    public async Task<WorkspaceResult<int>> AcceptAsync(ClaimsPrincipal user, string? token, CancellationToken ct = default)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var (invitation, info) = await FindAsync(db, token, ct);
        if (info.Problem is { } problem) return WorkspaceResult.Fail<int>(problem);
        var account = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, ct);
        if (account is null || account.NormalizedEmail != invitation!.NormalizedEmail) return WorkspaceResult.Fail<int>(MembersMessages.WrongAccount);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await JoinAsync(db, invitation, account, ct) is { } error) return WorkspaceResult.Fail<int>(error);
        await transaction.CommitAsync(ct);
        notifier.Publish(invitation.WorkspaceId);
        return WorkspaceResult.Ok(invitation.WorkspaceId);
    }

    /// <summary>Uses the invitation (if nobody did first) and adds the membership; the caller's transaction commits.</summary>
    internal async Task<string?> JoinAsync(AppDbContext db, Invitation invitation, AppUser account, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var used = await db.Invitations
            .Where(i => i.Id == invitation.Id && i.TokenHash == invitation.TokenHash && i.AcceptedAtUtc == null && i.RevokedAtUtc == null && i.ExpiresAtUtc > now)
            .ExecuteUpdateAsync(i => i.SetProperty(x => x.AcceptedAtUtc, now).SetProperty(x => x.AcceptedByUserId, account.Id), ct);
        if (used == 0) return (await FindAsync(db, null, ct, invitation.Id)).Info.Problem ?? MembersMessages.NoSuchInvitation;

        var actor = new Actor(account.Id, account.Email ?? invitation.Email);
        if (!await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == invitation.WorkspaceId && m.UserId == account.Id, ct))
        {
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = invitation.WorkspaceId, UserId = account.Id, Role = invitation.Role, JoinedAtUtc = now });
        }
        db.Record(invitation.WorkspaceId, actor, "member.joined", $"{actor.Name} joined as {invitation.Role} (invited by {invitation.InvitedByName})");
        await db.SaveChangesAsync(ct);
        await UserWorkspaces.RememberAsync(db, account.Id, invitation.WorkspaceId, ct);
        return null;
    }

    internal async Task<(Invitation? Invitation, InvitationInfo Info)> FindAsync(AppDbContext db, string? token, CancellationToken ct, int? id = null)
    {
        if (id is null && !InvitationToken.IsWellFormed(token)) return (null, InvitationInfo.NotFound);
        var query = db.Invitations.AsNoTracking().Include(i => i.Workspace);
        var hash = id is null ? InvitationToken.Hash(token!) : null;
        var invitation = id is { } byId
            ? await query.SingleOrDefaultAsync(i => i.Id == byId, ct)
            : await query.SingleOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null) return (null, InvitationInfo.NotFound);
        var state = invitation switch
        {
            { AcceptedAtUtc: not null } => InvitationState.Accepted,
            { RevokedAtUtc: not null } => InvitationState.Revoked,
            _ when invitation.ExpiresAtUtc <= clock.GetUtcNow().UtcDateTime => InvitationState.Expired,
            _ => InvitationState.Valid,
        };
        return (invitation, new InvitationInfo(state, invitation.Workspace.Name, invitation.Email, invitation.Role));
    }
}
