using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;

namespace WorkspaceApp.E2E.Pages;

/// <summary>Register, log in and log out as a person does, through the forms.</summary>
public sealed class AccountPages(IPage page)
{
    public const string Password = "Correct-Horse-42";

    public async Task RegisterAsync(string email, string workspaceName, string password = Password)
    {
        await page.GotoAsync("/Account/Register");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Workspace name").FillAsync(workspaceName);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Confirm password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
    }

    public async Task LogInAsync(string email, string password = Password)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }

    public async Task LogOutAsync()
    {
        // The button is disabled until the page is interactive; Playwright's click waits for it to be enabled
        // (clicking the wrapper did not, and landed on the prerendered page).
        await page.GetByRole(AriaRole.Button, new() { Name = "User menu" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Log out" }).ClickAsync();
        await page.WaitForURLAsync("**/Account/Login**");
    }

    /// <summary>A new user on a new workspace, signed in and on the dashboard.</summary>
    public async Task<string> SignUpAsync(string workspaceName)
    {
        var email = $"e2e-{Guid.NewGuid():N}@example.com";
        await RegisterAsync(email, workspaceName);
        await ContinueAfterRegisteringAsync();
        await new DashboardPage(page).WaitForAsync(workspaceName);
        return email;
    }

    /// <summary>Every accepted registration answers "Check your email" (new address or not); Continue goes on.</summary>
    public async Task ContinueAfterRegisteringAsync()
    {
        await Microsoft.Playwright.Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();
        await page.Locator("a", new() { HasTextString = "Continue" }).ClickAsync();
    }

    /// <summary>Signs in with the password, then with the code the authenticator app would show for <paramref name="key"/>.</summary>
    public async Task LogInWithTwoFactorAsync(string email, string key)
    {
        await LogInAsync(email);
        await page.GetByLabel("Authenticator code").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
    }
}
