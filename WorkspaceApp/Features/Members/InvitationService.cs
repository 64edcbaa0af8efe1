using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;
using static WorkspaceApp.Features.Members.MembersMessages;

namespace WorkspaceApp.Features.Members;

/// <summary>Invite by email, resend (a new link; the old one dies) and revoke. Owners and admins only; owners invite owners.</summary>
public sealed class InvitationService(
    IDbContextFactory<AppDbContext> dbFactory, WorkspaceAccess access, WorkspaceChangeNotifier notifier,
    InvitationEmail email, IOptions<MembersOptions> options, TimeProvider clock)
{
    public async Task<WorkspaceResult<InvitationRow>> InviteAsync(ClaimsPrincipal user, int workspaceId, string? address, WorkspaceRole role, CancellationToken ct = default)
    {
        address = address?.Trim();
        if (string.IsNullOrEmpty(address) || address.Length > 256 || !new EmailAddressAttribute().IsValid(address))
        {
            return WorkspaceResult.Fail<InvitationRow>("Enter a valid email address, for example jane@example.com.");
        }
        var normalized = address.ToUpperInvariant();
        return await ActAsync(user, workspaceId, role, async (db, actor, now) =>
        {
            if (await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspaceId && m.User.NormalizedEmail == normalized, ct))
            {
                return (null, $"{address} is already a member of this workspace.");
            }
            var pending = await db.Invitations.Where(i => i.WorkspaceId == workspaceId && i.NormalizedEmail == normalized && i.AcceptedAtUtc == null && i.RevokedAtUtc == null).ToListAsync(ct);
            if (pending.Any(i => i.ExpiresAtUtc > now)) return (null, $"{address} already has a pending invitation. Resend it instead.");
            foreach (var expired in pending) expired.RevokedAtUtc = now; // replaced by the new one below

            var invitation = new Invitation
            {
                WorkspaceId = workspaceId, Email = address, NormalizedEmail = normalized, Role = role, TokenHash = [],
                InvitedByUserId = actor.UserId, InvitedByName = actor.Name, CreatedAtUtc = now,
            };
            db.Invitations.Add(invitation);
            db.Record(workspaceId, actor, "member.invited", $"{address} invited as {role}");
            return (invitation, null);
        }, ct);
    }

    /// <summary>A new link and a new expiry, sent again; the previous link stops working.</summary>
    public Task<WorkspaceResult<InvitationRow>> ResendAsync(ClaimsPrincipal user, int workspaceId, int invitationId, CancellationToken ct = default) =>
        PendingAsync(user, workspaceId, invitationId, (db, actor, invitation) =>
        {
            db.Record(workspaceId, actor, "invitation.resent", $"Invitation to {invitation.Email} ({invitation.Role}) sent again");
            return invitation;
        }, ct);

    public Task<WorkspaceResult<InvitationRow>> RevokeAsync(ClaimsPrincipal user, int workspaceId, int invitationId, CancellationToken ct = default) =>
        PendingAsync(user, workspaceId, invitationId, (db, actor, invitation) =>
        {
            invitation.RevokedAtUtc = clock.GetUtcNow().UtcDateTime;
            db.Record(workspaceId, actor, "invitation.revoked", $"Invitation to {invitation.Email} ({invitation.Role}) revoked");
            return null;
        }, ct);

    private async Task<WorkspaceResult<InvitationRow>> PendingAsync(
        ClaimsPrincipal user, int workspaceId, int invitationId, Func<AppDbContext, Actor, Invitation, Invitation?> change, CancellationToken ct)
    {
        Invitation? found = null;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            found = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invitationId && i.WorkspaceId == workspaceId && i.AcceptedAtUtc == null && i.RevokedAtUtc == null, ct);
        }
        if (found is null) return WorkspaceResult.Fail<InvitationRow>(NoSuchInvitation);
        return await ActAsync(user, workspaceId, found.Role, async (db, actor, _) =>
        {
            var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.AcceptedAtUtc == null && i.RevokedAtUtc == null, ct);
            return invitation is null ? (null, NoSuchInvitation) : (change(db, actor, invitation), null);
        }, ct, row: found);
    }

    /// <summary>
    /// Checks the caller may invite with <paramref name="role"/>, runs <paramref name="change"/> in a transaction holding the
    /// workspace, and when it returns an invitation gives it a new token and expiry and emails the link (committed with it).
    /// </summary>
    private async Task<WorkspaceResult<InvitationRow>> ActAsync(
        ClaimsPrincipal user, int workspaceId, WorkspaceRole role,
        Func<AppDbContext, Actor, DateTime, Task<(Invitation?, string?)>> change, CancellationToken ct, Invitation? row = null)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.ManageWorkspace)) return WorkspaceResult.Fail<InvitationRow>(NotAllowed);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.LockWorkspaceAsync(workspaceId, ct);
        if (role == WorkspaceRole.Owner && await MembersService.CallerRoleAsync(db, user, workspaceId, ct) != WorkspaceRole.Owner)
        {
            return WorkspaceResult.Fail<InvitationRow>(OnlyOwner);
        }
        var now = clock.GetUtcNow().UtcDateTime;
        var actor = Actor.From(user);
        var (invitation, error) = await change(db, actor, now);
        if (error is not null) return WorkspaceResult.Fail<InvitationRow>(error);
        string? token = null;
        if (invitation is not null)
        {
            token = InvitationToken.New();
            invitation.TokenHash = InvitationToken.Hash(token);
            invitation.ExpiresAtUtc = now.AddDays(options.Value.InvitationLifetimeDays);
            row = invitation;
            await email.AddAsync(db, workspaceId, invitation, actor, token, ct);
        }
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (token is not null) email.Wake();
        notifier.Publish(workspaceId);
        var r = row!;
        return WorkspaceResult.Ok(new InvitationRow(r.Id, r.Email, r.Role, r.InvitedByName, r.CreatedAtUtc, r.ExpiresAtUtc, r.ExpiresAtUtc <= now));
    }
}
