using Microsoft.AspNetCore.Identity;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Members;

/// <summary>Registering through an invitation link (a static form: signing in sets a cookie). Scoped to the request.</summary>
public sealed class InvitationRegistration(AppDbContext db, UserManager<AppUser> users, InvitationAcceptance acceptance, WorkspaceChangeNotifier notifier)
{
    /// <summary>
    /// Creates the account for the invited email and joins the workspace, in one transaction: no workspace of
    /// their own. The email counts as confirmed: the link reached that mailbox.
    /// </summary>
    public async Task<RegistrationResult> RegisterAsync(string? token, string password, CancellationToken ct = default)
    {
        var (invitation, info) = await acceptance.FindAsync(db, token, ct);
        if (info.Problem is { } problem) return RegistrationResult.Failed(problem);
        if (await users.FindByEmailAsync(invitation!.Email) is not null)
        {
            return RegistrationResult.Failed("An account with this email already exists: log in to accept the invitation.");
        }

        // UserManager shares the scoped context, so the account and the membership commit together or not at all.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var user = new AppUser { UserName = invitation.Email, Email = invitation.Email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) return RegistrationResult.Failed(created.Errors.Select(e => e.Description).ToArray());
        if (await acceptance.JoinAsync(db, invitation, user, ct) is { } error) return RegistrationResult.Failed(error);
        await transaction.CommitAsync(ct);
        notifier.Publish(invitation.WorkspaceId);
        return new RegistrationResult(user, []);
    }
}
