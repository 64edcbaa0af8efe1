using System.Net;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Email;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Alerts;

/// <summary>Emails a workspace's Owners and Admins (the people who can act on billing).</summary>
public sealed class ManagerMail(IEmailOutbox outbox, PublicUrls urls)
{
    /// <summary>
    /// Adds one message per Owner and Admin to <paramref name="db"/>'s changes (<see cref="IEmailOutbox.Add"/>): stored
    /// with the caller's SaveChanges, in its transaction. <paramref name="text"/> is plain text; a link to Billing is added.
    /// </summary>
    public async Task AddAsync(AppDbContext db, int workspaceId, string subject, string text, CancellationToken ct = default)
    {
        var recipients = await db.WorkspaceMembers
            .Where(m => m.WorkspaceId == workspaceId && (m.Role == WorkspaceRole.Owner || m.Role == WorkspaceRole.Admin))
            .Select(m => m.User.Email).OfType<string>().Distinct().ToListAsync(ct);
        var link = urls.Absolute("/billing");
        var textBody = $"{text}\n\nBilling: {link}\n";
        var htmlBody = $"<p>{WebUtility.HtmlEncode(text)}</p><p><a href=\"{WebUtility.HtmlEncode(link)}\">Open Billing</a></p>";
        foreach (var to in recipients) outbox.Add(db, new EmailMessage(to, subject, textBody, htmlBody));
    }

    /// <summary>Starts delivering the messages once the caller's transaction has committed.</summary>
    public void Wake() => outbox.Wake();
}
