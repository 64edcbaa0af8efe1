using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

[Collection(E2ECollection.Name)]
public sealed class TeamJourney(E2EFixture fixture)
{
    /// <summary>The owner's page: a new Pro workspace (the plan set by an operator).</summary>
    private async Task<(IPage Owner, string Workspace)> ProOwnerAsync()
    {
        var owner = await fixture.NewPageAsync();
        var workspace = $"Team {Guid.NewGuid():N}";
        await new AccountPages(owner).SignUpAsync(workspace);
        Assert.Equal(0, (await fixture.App.OpsAsync("plan", "set", "--workspace", workspace, "--plan", "pro")).ExitCode);
        return (owner, workspace);
    }

    [Fact]
    public async Task An_invited_member_joins_by_email_gets_admin_rights_and_loses_access_when_removed()
    {
        var (owner, workspace) = await ProOwnerAsync();
        var members = new MembersPage(owner);
        await members.GotoAsync();
        var email = $"invitee-{Guid.NewGuid():N}@example.com";
        await members.InviteAsync(email);

        // The invitee reads the email the app wrote and registers through the link.
        var mail = await fixture.App.Mail.WaitForAsync(email);
        Assert.Contains(workspace, mail.Subject, StringComparison.Ordinal);
        var link = MailPickup.FirstLink(mail);
        var invitee = await fixture.NewPageAsync();
        await new MembersPage(invitee).RegisterThroughAsync(link);
        await new DashboardPage(invitee).WaitForAsync(workspace);
        await Expect(invitee.GetByText("Your role: Member")).ToBeVisibleAsync();

        // As a Member: Billing read-only, no keys.
        await invitee.GotoAsync("/billing");
        await Expect(invitee.GetByTestId("read-only-notice")).ToBeVisibleAsync();
        var keys = new ApiKeysPage(invitee);
        await invitee.GotoAsync("/settings/api-keys");
        await Expect(invitee.GetByTestId("api-keys-read-only")).ToBeVisibleAsync();
        await Expect(keys.GenerateButton).ToBeDisabledAsync();

        // The owner makes them Admin: now they can generate a key.
        await owner.ReloadAsync();
        await Expect(members.Row(email).GetByTestId("member-role")).ToHaveTextAsync("Member");
        await members.ActAsync(email, "Make Admin");
        await Expect(members.Row(email).GetByTestId("member-role")).ToHaveTextAsync("Admin");
        await keys.GotoAsync();
        await Expect(keys.GenerateButton).ToBeEnabledAsync();
        await keys.GenerateAsync("Invitee key");
        await Expect(keys.Row("Invitee key")).ToBeVisibleAsync();

        // The owner removes them while their keys page is open (and a dialog on it): the page says so at once,
        // shows nothing of the workspace any more, and the dialog's action is refused by the service.
        await keys.GenerateButton.ClickAsync();
        await keys.Dialog.GetByLabel("Name").FillAsync("After removal");
        await members.ActAsync(email, "Remove");
        await Expect(members.Row(email)).ToHaveCountAsync(0);
        await Expect(new MembersPage(invitee).AccessLost).ToContainTextAsync($"You are no longer a member of {workspace}");
        await Expect(keys.Rows).ToHaveCountAsync(0);
        await keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
        await Expect(keys.Dialog).ToContainTextAsync("Only workspace owners and admins can manage API keys.");
        var list = await fixture.App.OpsAsync("members", "list", "--workspace", workspace);
        Assert.DoesNotContain(email, list.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_user_opens_the_invitation_link_and_joins_with_their_account()
    {
        var (owner, workspace) = await ProOwnerAsync();
        var invitee = await fixture.NewPageAsync();
        var email = await new AccountPages(invitee).SignUpAsync($"Own {Guid.NewGuid():N}");
        var members = new MembersPage(owner);
        await members.GotoAsync();
        await members.InviteAsync(email);

        // Opening the link while signed in joins at once (once: the page's first, prerendered pass changes nothing).
        var invitation = await fixture.App.Mail.WaitForAsync(email, m => m.Subject?.Contains(workspace, StringComparison.Ordinal) == true);
        await invitee.GotoAsync(MailPickup.FirstLink(invitation));
        await Expect(invitee.GetByTestId("invitation-joined")).ToHaveTextAsync($"You joined {workspace} as Member.");
        await invitee.GetByRole(AriaRole.Button, new() { Name = $"Go to {workspace}" }).ClickAsync();
        // The button reloads the app (a full page load): wait for the dashboard's content, not for a load event.
        await Expect(new DashboardPage(invitee).Title).ToHaveTextAsync(workspace);
        await owner.ReloadAsync();
        await Expect(members.Row(email).GetByTestId("member-role")).ToHaveTextAsync("Member");
    }
}
