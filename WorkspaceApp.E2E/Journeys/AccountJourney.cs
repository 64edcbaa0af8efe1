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

    [Fact]
    public async Task On_a_phone_the_account_pages_fit_the_screen_and_their_actions_are_reachable()
    {
        var page = await fixture.NewPageAsync(options => options.ViewportSize = new() { Width = 390, Height = 844 });
        var account = new AccountPages(page);
        await account.SignUpAsync($"Phone {Guid.NewGuid():N}");

        await page.GotoAsync("/Account/Manage/EnableAuthenticator");
        await Reach.AssertFullyShownAsync(page, page.GetByAltText("QR code for your authenticator app"), "QR code");
        await Reach.AssertFullyShownAsync(page, page.GetByTestId("authenticator-key"), "authenticator key");
        await Reach.AssertReachableAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Verify" }), "Verify");
        await AssertFitsAsync(page, "set up authenticator");
        await page.GotoAsync("/Account/Manage/TwoFactorAuthentication");
        await Reach.AssertReachableAsync(page, page.GetByTestId("back-to-app"), "Back to the app");
        await AssertFitsAsync(page, "two-factor authentication");

        await page.GotoAsync("/");
        await account.LogOutAsync();
        await Reach.AssertReachableAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }), "Forgot your password?");
        await AssertFitsAsync(page, "log in");
    }

    private static async Task AssertFitsAsync(IPage page, string where) =>
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, $"{where} needs sideways scrolling on a 390px screen");
}
