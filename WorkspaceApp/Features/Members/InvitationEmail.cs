using System.Net;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Email;

namespace WorkspaceApp.Features.Members;

/// <summary>The invitation message: who invites to which workspace, with which role, and the single-use link.</summary>
public sealed class InvitationEmail(IEmailOutbox outbox, PublicUrls urls)
{
    public static string LinkPath(string token) => $"/invitations/{token}";

    /// <summary>Adds the message to <paramref name="db"/>'s changes: it is stored in the transaction that stores the invitation.</summary>
    public async Task AddAsync(AppDbContext db, int workspaceId, Invitation invitation, Actor inviter, string token, CancellationToken ct)
    {
        var workspace = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Name).SingleAsync(ct);
        var link = urls.Absolute(LinkPath(token));
        var expires = invitation.ExpiresAtUtc.ToString("d MMMM yyyy, HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        var subject = $"{inviter.Name} invited you to {workspace} on WorkspaceApp";
        var text = $"""
            {inviter.Name} invited you to join the workspace "{workspace}" on WorkspaceApp as {invitation.Role}.

            Accept the invitation: {link}

            The link works once and expires on {expires}. If you did not expect this email, ignore it.
            """;
        string H(string s) => WebUtility.HtmlEncode(s);
        var html = $"""
            <p>{H(inviter.Name)} invited you to join the workspace <strong>{H(workspace)}</strong> on WorkspaceApp as {invitation.Role}.</p>
            <p><a href="{H(link)}">Accept the invitation</a></p>
            <p>The link works once and expires on {H(expires)}. If you did not expect this email, ignore it.</p>
            """;
        outbox.Add(db, new EmailMessage(invitation.Email, subject, text, html));
    }

    /// <summary>Starts delivering the message once the invitation's transaction has committed.</summary>
    public void Wake() => outbox.Wake();
}
