using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Pages;

/// <summary>Settings > Members: invite, change a role, remove; and the invitation link's pages.</summary>
public sealed class MembersPage(IPage page)
{
    public ILocator InviteButton => page.GetByRole(AriaRole.Button, new() { Name = "Invite member" });
    public ILocator Dialog => page.GetByRole(AriaRole.Dialog);
    public ILocator Invitations => page.GetByTestId("invitation-email");
    public ILocator AccessLost => page.GetByTestId("workspace-access-lost");

    public ILocator Row(string email) =>
        page.Locator("[data-testid=members-table] tbody tr").Filter(new() { Has = page.GetByTestId("member-email").GetByText(email) });

    public async Task GotoAsync()
    {
        await page.GotoAsync("/settings/members");
        await Expect(page.GetByTestId("members-table")).ToBeVisibleAsync();
    }

    public async Task InviteAsync(string email, string role = "Member")
    {
        await InviteButton.ClickAsync();
        await Dialog.GetByLabel("Email").FillAsync(email);
        await Dialog.GetByRole(AriaRole.Radio, new() { NameRegex = new System.Text.RegularExpressions.Regex($"^{role}:") }).CheckAsync();
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(Invitations.GetByText(email, new() { Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Chooses an action ("Make Admin", "Remove", ...) from the member's menu; "Remove" and transfers are confirmed.</summary>
    public async Task ActAsync(string email, string action)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Manage {email}" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = action, Exact = true }).ClickAsync();
        if (action is "Remove" or "Transfer ownership")
        {
            await Dialog.GetByRole(AriaRole.Button, new() { Name = action == "Remove" ? "Remove" : "Transfer", Exact = true }).ClickAsync();
        }
    }

    /// <summary>Opens an invitation link while signed out and registers through it with the fixed email.</summary>
    public async Task RegisterThroughAsync(string link, string password = AccountPages.Password)
    {
        await page.GotoAsync(link);
        await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Confirm password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account and join" }).ClickAsync();
    }
}
