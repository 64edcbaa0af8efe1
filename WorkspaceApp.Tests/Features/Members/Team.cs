using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.Features.Members;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Members;

/// <summary>Invitations as the tests use them: sent through the real service, the link read from the email the app wrote.</summary>
internal static class Team
{
    public static async Task<WorkspaceResult<InvitationRow>> InviteAsync(this AppFactory app, TestUser by, string email, WorkspaceRole role = WorkspaceRole.Member)
    {
        await using var scope = app.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<InvitationService>().InviteAsync(by.Principal, by.WorkspaceId, email, role);
    }

    /// <summary>The token of the newest invitation email to <paramref name="email"/> (waits for the background delivery).</summary>
    public static async Task<string> TokenFromEmailAsync(this AppFactory app, string email, int count = 1)
    {
        await app.Mail.WaitForAsync(email, _ => app.Mail.To(email).Count >= count);
        var link = MailPickup.FirstLink(app.Mail.To(email)[^1]);
        Assert.Matches("^http://[^/]+/invitations/[A-Za-z0-9_-]{43}$", link);
        return link.Split('/')[^1];
    }

    public static async Task<T> With<T>(this AppFactory app, Func<IServiceProvider, Task<T>> act)
    {
        await using var scope = app.CreateScope();
        return await act(scope.ServiceProvider);
    }
}
