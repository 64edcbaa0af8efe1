using AngleSharp.Dom;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkspaceApp.Components.Layout;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Members;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Members;

/// <summary>Settings > Members with the real services on a real database; the layout's access notice.</summary>
public sealed class MembersTabTests : AppTestContext
{
    private IRenderedComponent<MudDialogProvider> dialogs = default!;
    private IRenderedComponent<MudSnackbarProvider> snackbars = default!;
    private IRenderedComponent<MudPopoverProvider> popovers = default!;

    [Fact]
    public async Task A_member_sees_members_and_invitations_read_only()
    {
        var owner = await App.RegisterAsync(workspaceName: "Acme");
        var member = await App.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        await App.InviteAsync(owner, "pending@example.com", WorkspaceRole.Admin);

        var tab = RenderTab(member);

        tab.WaitForAssertion(() => Assert.Equal(2, tab.FindAll("[data-testid=member-email]").Count));
        Assert.NotNull(tab.Find("[data-testid=members-read-only]"));
        Assert.Equal("pending@example.com", tab.Find("[data-testid=invitation-email]").TextContent);
        Assert.DoesNotContain(tab.FindAll("button"), b => b.TextContent.Trim() is "Invite member" or "Resend" or "Revoke");
        Assert.Empty(tab.FindAll("[data-testid=member-actions] button"));
        Assert.Contains(tab.FindAll("button"), b => b.TextContent.Trim() == "Leave workspace");
    }

    [Fact]
    public async Task An_owner_invites_through_the_dialog_and_a_bad_address_is_explained_there()
    {
        var owner = await App.RegisterAsync();
        var tab = RenderTab(owner);
        tab.WaitForAssertion(() => Assert.NotNull(tab.Find("[data-testid=no-invitations]")));

        Button(tab, "Invite member").Click();
        dialogs.WaitForAssertion(() => Button(dialogs, "Send invitation"));
        dialogs.Find("input[type=email]").Input("nobody");
        Button(dialogs, "Send invitation").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("Enter a valid email address", dialogs.Markup, StringComparison.Ordinal));

        dialogs.Find("input[type=email]").Input("zoe@example.com");
        Button(dialogs, "Send invitation").Click();

        tab.WaitForAssertion(() => Assert.Equal("zoe@example.com", tab.Find("[data-testid=invitation-email]").TextContent));
        Assert.DoesNotContain("Expired", tab.Find("[data-testid=invitation-expires]").TextContent, StringComparison.Ordinal);
        snackbars.WaitForAssertion(() => Assert.Contains("Invitation sent to zoe@example.com.", snackbars.Markup, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_last_owner_leaving_is_refused_with_the_reason_and_stays()
    {
        var owner = await App.RegisterAsync();
        var tab = RenderTab(owner);
        tab.WaitForAssertion(() => Button(tab, "Leave workspace"));

        Button(tab, "Leave workspace").Click();
        dialogs.WaitForAssertion(() => Button(dialogs, "Leave"));
        Button(dialogs, "Leave").Click();

        snackbars.WaitForAssertion(() => Assert.Contains("You are the last owner", snackbars.Markup, StringComparison.Ordinal));
        Assert.NotNull(await Services.GetRequiredService<WorkspaceService>().FindForUserAsync(owner.UserId, owner.WorkspaceId));
    }

    [Fact]
    public async Task Removing_a_member_through_the_menu_takes_them_off_the_list()
    {
        var owner = await App.RegisterAsync();
        var member = await App.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        var tab = RenderTab(owner);
        tab.WaitForAssertion(() => Assert.Equal(2, tab.FindAll("[data-testid=member-email]").Count));

        tab.Find($"button[aria-label='Manage {member.Email}']").Click();
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-menu-item"), i => i.TextContent.Trim() == "Make Admin"));
        Assert.Equal(["Make Owner", "Make Admin", "Transfer ownership", "Remove"], popovers.FindAll(".mud-menu-item").Select(i => i.TextContent.Trim()));
        popovers.FindAll(".mud-menu-item").Single(i => i.TextContent.Trim() == "Remove").Click();
        dialogs.WaitForAssertion(() => Button(dialogs, "Remove"));
        Button(dialogs, "Remove").Click();

        tab.WaitForAssertion(() => Assert.Single(tab.FindAll("[data-testid=member-email]")));
        Assert.Null(await Services.GetRequiredService<WorkspaceService>().FindForUserAsync(member.UserId, owner.WorkspaceId));
    }

    [Fact]
    public async Task A_member_removed_while_the_page_is_open_is_told_and_their_next_action_is_refused()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro, workspaceName: "Acme");
        var admin = await App.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);
        var tab = RenderTab(admin);
        var notice = Render<WorkspaceAccessNotice>();
        tab.WaitForAssertion(() => Button(tab, "Invite member"));

        // Through the tab's own services, so their notifier tells the open page.
        await Services.GetRequiredService<MembersService>().RemoveAsync(owner.Principal, owner.WorkspaceId, admin.UserId);

        notice.WaitForAssertion(() => Assert.Contains("You are no longer a member of Acme", notice.Find("[data-testid=workspace-access-lost]").TextContent, StringComparison.Ordinal));
        var refused = await Services.GetRequiredService<InvitationService>().InviteAsync(admin.Principal, owner.WorkspaceId, "x@example.com", WorkspaceRole.Member);
        Assert.Equal(MembersMessages.NotAllowed, refused.Error);
    }

    private IRenderedComponent<MembersTab> RenderTab(TestUser user)
    {
        UseAppServices(user, host => { host.AddBilling(); host.AddTeam(App); });
        dialogs = Render<MudDialogProvider>();
        popovers = Render<MudPopoverProvider>();
        snackbars = Render<MudSnackbarProvider>();
        return Render<MembersTab>();
    }

    private static IElement Button(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> component, string text) =>
        component.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
