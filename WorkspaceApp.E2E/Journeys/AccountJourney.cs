using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

[Collection(E2ECollection.Name)]
public sealed class AccountJourney(E2EFixture fixture)
{
    [Fact]
    public async Task A_user_turns_on_two_factor_sign_in_and_signs_in_with_a_computed_code()
    {
        var page = await fixture.NewPageAsync();
        var account = new AccountPages(page);
        var email = await account.SignUpAsync("Globex");

        await page.GotoAsync("/Account/Manage/TwoFactorAuthentication");
        await page.Locator("a", new() { HasTextString = "Add authenticator app" }).ClickAsync();
        await Expect(page.GetByAltText("QR code for your authenticator app")).ToBeVisibleAsync();
        var key = await page.GetByTestId("authenticator-key").InnerTextAsync();
        await page.GetByLabel("Verification code").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(10);
        await page.Locator("a", new() { HasTextString = "I have saved them" }).ClickAsync();
        await Expect(page.GetByTestId("two-factor-status")).ToContainTextAsync("Two-factor sign-in is on");

        await page.GotoAsync("/");
        await account.LogOutAsync();
        await account.LogInAsync(email);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in" })).ToBeVisibleAsync();
        await page.GetByLabel("Authenticator code").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await new DashboardPage(page).WaitForAsync("Globex");
    }

    [Fact]
    public async Task A_user_who_forgot_the_password_resets_it_from_the_emailed_link()
    {
        var page = await fixture.NewPageAsync();
        var account = new AccountPages(page);
        var email = await account.SignUpAsync("Soylent");
        await account.LogOutAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forgot your password?" })).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reset link" }).ClickAsync();
        await Expect(page.GetByTestId("forgot-password-confirmation")).ToBeVisibleAsync();

        var mail = await fixture.App.Mail.WaitForAsync(email, m => m.Subject == "Reset your password");
        await page.GotoAsync(MailPickup.FirstLink(mail));
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Fresh-Start-2026");
        await page.GetByLabel("Confirm new password").FillAsync("Fresh-Start-2026");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        await Expect(page.GetByTestId("reset-password-confirmation")).ToBeVisibleAsync();

        await account.LogInAsync(email, "Fresh-Start-2026");
        await new DashboardPage(page).WaitForAsync("Soylent");
    }
}
