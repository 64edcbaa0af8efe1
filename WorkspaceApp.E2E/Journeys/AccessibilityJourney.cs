using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>
/// Every page and dialog, in light and dark mode (the app follows the operating system) and on a 390x844 phone (in
/// light and dark too), scanned with axe: no
/// critical or serious violation, one main landmark, one h1, a skip link. The visits run in order, as one person
/// would go through the app; a new page joins the scan with one line in <see cref="Visits"/>.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class AccessibilityJourney(E2EFixture fixture)
{
    /// <summary>A named state of the app to scan; Scan = false for the steps between two states.</summary>
    private sealed record Visit(string Name, Func<Session, Task> Go, bool Scan = true);

    private sealed record Session(IPage Page, BillingPage Billing, ApiKeysPage Keys, AccountPages Account, MailPickup Mail)
    {
        /// <summary>Someone this session invites; the link comes from the app's pickup folder.</summary>
        public string Invitee { get; } = $"a11y-{Guid.NewGuid():N}@example.com";

        public async Task<string> InvitationLinkAsync() => MailPickup.FirstLink(await Mail.WaitForAsync(Invitee));

        /// <summary>Opens the address and waits for the page's heading and title (interactive pages render after load).</summary>
        public async Task Goto(string url)
        {
            await Page.GotoAsync(url);
            await Expect(Page.Locator("h1")).ToBeVisibleAsync();
            await Expect(Page).ToHaveTitleAsync(AnyTitle());
        }

        public ILocator Button(string name) => Billing.Button(name);
        public Task Click(string button) => Button(button).ClickAsync();
    }

    private static readonly Visit[] Visits =
    [
        new("log in", s => s.Goto("/Account/Login")),
        new("register", s => s.Goto("/Account/Register")),
        new("register with errors", async s => { await s.Click("Create account"); await Expect(s.Page.GetByText("Workspace name is required.")).ToBeVisibleAsync(); }),
        new("forgot password", s => s.Goto("/Account/ForgotPassword")),
        new("forgot password sent", async s => { await s.Page.GetByLabel("Email").FillAsync("nobody@example.com"); await s.Click("Send reset link"); await Expect(s.Page.GetByTestId("forgot-password-confirmation")).ToBeVisibleAsync(); }),
        new("reset password, damaged link", s => s.Goto("/Account/ResetPassword?code=x")),
        new("resend confirmation", s => s.Goto("/Account/ResendEmailConfirmation")),
        new("confirm email, damaged link", s => s.Goto("/Account/ConfirmEmail?userId=x&code=x")),
        new("check your email", async s => { await s.Account.RegisterAsync($"a11y-{Guid.NewGuid():N}@example.com", $"A11y {Guid.NewGuid():N}"); await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync(); }),
        new("sign up", s => s.Page.Locator("a", new() { HasTextString = "Continue" }).ClickAsync(), Scan: false),
        new("dashboard", s => Expect(s.Page.GetByTestId("dashboard-title")).ToBeVisibleAsync()),
        new("user menu", async s => { await s.Page.GetByRole(AriaRole.Button, new() { Name = "User menu" }).ClickAsync(); await Expect(s.Page.GetByRole(AriaRole.Menu)).ToBeVisibleAsync(); }),
        new("billing on trial", s => s.Billing.OpenAsync()),
        new("upgrade confirmation", async s => { await s.Billing.UpgradeButton.ClickAsync(); await Expect(s.Button("Upgrade")).ToBeVisibleAsync(); }),
        new("billing on pro", async s => { await s.Click("Upgrade"); await Expect(s.Billing.PurchaseButton).ToBeEnabledAsync(); }),
        new("purchase step 1", async s => { await s.Billing.PurchaseButton.ClickAsync(); await Expect(s.Billing.CreditsInput).ToBeVisibleAsync(); }),
        new("purchase step 1 with an error", async s => { await s.Billing.CreditsInput.FillAsync("4"); await Expect(s.Button("Next")).ToBeDisabledAsync(); }),
        new("purchase step 2", async s => { await s.Billing.CreditsInput.FillAsync("25"); await s.Click("Next"); await Expect(s.Billing.SummaryTotal).ToBeVisibleAsync(); }),
        new("test checkout", async s => { await s.Click("Continue to payment"); await Expect(s.Billing.CheckoutTotal).ToBeVisibleAsync(); }),
        new("purchase step 3", async s => { await s.Billing.PayOnCheckoutAsync(BillingPage.SuccessCard); await Expect(s.Billing.Added).ToBeVisibleAsync(); }),
        new("cancelled checkout", async s => { await s.Click("Done"); await s.Billing.ChooseCreditsAsync(10); await s.Click("Continue to payment"); await s.Click("Cancel and return to Billing"); await Expect(s.Billing.PaymentNotice).ToBeVisibleAsync(); }),
        new("billing with history", async s => { await s.Click("Cancel"); await Expect(s.Billing.Stepper).ToBeHiddenAsync(); }),
        new("receipt", async s => { await s.Billing.History.GetByRole(AriaRole.Button, new() { Name = "View receipt" }).First.ClickAsync(); await Expect(s.Page.GetByTestId("receipt-total")).ToBeVisibleAsync(); }),
        new("settings: general", async s => { await s.Goto("/settings"); await Expect(s.Page.GetByTestId("settings-role")).ToBeVisibleAsync(); }),
        new("settings: API keys, empty", s => s.Keys.GotoAsync()),
        new("generate key", async s => { await s.Keys.GenerateButton.ClickAsync(); await Expect(s.Keys.Dialog.GetByLabel("Name")).ToBeVisibleAsync(); }),
        new("reveal key", async s => { await s.Keys.Dialog.GetByLabel("Name").FillAsync("Production"); await s.Click("Generate"); await Expect(s.Keys.RevealedKey).ToBeVisibleAsync(); }),
        new("settings: API keys", async s => { await s.Click("Done"); await Expect(s.Keys.Rows).ToHaveCountAsync(1); }),
        new("key limits", async s => { await s.Keys.Row("Production").GetByRole(AriaRole.Button, new() { Name = "Limits", Exact = true }).ClickAsync(); await s.Keys.Dialog.GetByText("Per day", new() { Exact = true }).ClickAsync(); await s.Keys.Dialog.GetByLabel("Limit in credits").FillAsync("5"); }),
        new("settings: API keys with a limit", async s => { await s.Click("Save limits"); await Expect(s.Keys.Row("Production").GetByRole(AriaRole.Progressbar)).ToBeVisibleAsync(); }),
        new("rotate confirmation", async s => { await s.Keys.Row("Production").GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync(); await Expect(s.Button("Rotate key")).ToBeVisibleAsync(); }),
        new("revoke confirmation", async s => { await s.Click("Rotate key"); await s.Keys.ReadRevealedKeyAndCloseAsync(); await s.Keys.Row("Production").GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync(); await Expect(s.Button("Revoke key")).ToBeVisibleAsync(); }),
        new("settings: API keys with history", async s => { await s.Click("Revoke key"); await Expect(s.Keys.Row("Production", "revoked")).ToBeVisibleAsync(); }),
        new("settings: audit log", async s => { await s.Goto("/settings/audit-log"); await Expect(s.Page.GetByTestId("audit-action").First).ToBeVisibleAsync(); }),
        new("usage", async s => { await s.Goto("/usage"); await Expect(s.Page.GetByTestId("usage-total-spend")).ToBeVisibleAsync(); }),
        new("usage: custom dates", async s => { await s.Page.GetByTestId("usage-range").ClickAsync(); await s.Page.GetByRole(AriaRole.Option, new() { Name = "Custom dates" }).ClickAsync(); await Expect(s.Page.GetByRole(AriaRole.Textbox, new() { Name = "Start date" })).ToBeVisibleAsync(); }),
        new("settings: members", async s => { await s.Goto("/settings/members"); await Expect(s.Page.GetByTestId("members-table")).ToBeVisibleAsync(); }),
        new("invite dialog", async s => { await s.Click("Invite member"); await Expect(s.Page.GetByRole(AriaRole.Dialog).GetByLabel("Email")).ToBeVisibleAsync(); }),
        new("settings: members with an invitation", async s => { await s.Page.GetByRole(AriaRole.Dialog).GetByLabel("Email").FillAsync(s.Invitee); await s.Click("Send invitation"); await Expect(s.Page.GetByTestId("invitation-email")).ToBeVisibleAsync(); }),
        new("invitation for another account", async s => { await s.Goto(await s.InvitationLinkAsync()); await Expect(s.Page.GetByTestId("invitation-problem")).ToBeVisibleAsync(); }),
        new("register through an invitation", async s => { await s.Goto(await s.InvitationLinkAsync() + "/register"); await Expect(s.Page.GetByTestId("invited-email")).ToBeVisibleAsync(); }),
        new("account", s => s.Goto("/Account/Manage")),
        new("change password", s => s.Goto("/Account/Manage/ChangePassword")),
        new("account: email", s => s.Goto("/Account/Manage/Email")),
        new("account: two-factor off", s => s.Goto("/Account/Manage/TwoFactorAuthentication")),
        new("set up authenticator", s => s.Goto("/Account/Manage/EnableAuthenticator")),
        new("recovery codes", async s => { var key = await s.Page.GetByTestId("authenticator-key").InnerTextAsync(); await s.Page.GetByLabel("Verification code").FillAsync(Totp.Code(key)); await s.Click("Verify"); await Expect(s.Page.GetByTestId("recovery-codes")).ToBeVisibleAsync(); }),
        new("account: two-factor on", s => s.Goto("/Account/Manage/TwoFactorAuthentication")),
        new("new recovery codes", s => s.Goto("/Account/Manage/GenerateRecoveryCodes")),
        new("turn off two-factor", s => s.Goto("/Account/Manage/Disable2fa")),
        new("reset authenticator", s => s.Goto("/Account/Manage/ResetAuthenticator")),
        new("not found", s => s.Goto("/no-such-page")),
        new("log in with a code", async s => { await s.Goto("/Account/Manage"); var email = await s.Page.GetByTestId("account-email").InnerTextAsync(); await s.Goto("/"); await s.Account.LogOutAsync(); await s.Account.LogInAsync(email); await Expect(s.Page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in" })).ToBeVisibleAsync(); }),
        new("log in with a recovery code", async s => { await s.Page.GetByRole(AriaRole.Link, new() { Name = "Log in with a recovery code" }).ClickAsync(); await Expect(s.Page.GetByLabel("Recovery code")).ToBeVisibleAsync(); }),
    ];

    [Theory]
    [InlineData(ColorScheme.Light, false)]
    [InlineData(ColorScheme.Dark, false)]
    [InlineData(ColorScheme.Light, true)]
    public async Task Every_page_and_dialog_has_no_serious_accessibility_violation(ColorScheme scheme, bool phone)
    {
        var page = await fixture.NewPageAsync(options =>
        {
            options.ColorScheme = scheme;
            if (phone) options.ViewportSize = new() { Width = 390, Height = 844 };
        });
        var where = phone ? $"{scheme}, phone" : $"{scheme}";
        var session = new Session(page, new BillingPage(page), new ApiKeysPage(page), new AccountPages(page), fixture.App.Mail);
        var problems = new List<string>();

        foreach (var visit in Visits)
        {
            try { await visit.Go(session); }
            catch (Exception e) { throw new InvalidOperationException($"Could not reach \"{visit.Name}\" ({where}): {e.Message}", e); }
            if (!visit.Scan) continue;
            problems.AddRange(await AccessibilityScan.ProblemsAsync(page, $"{visit.Name} ({where})"));
            await Screenshots.SaveAsync(page, $"{visit.Name}-{where}");
            if (phone) problems.AddRange(await ScanInDarkModeAsync(page, visit.Name));
        }

        Assert.True(problems.Count == 0, $"{problems.Count} accessibility problems:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// The same state once more with the system switched to dark (the app follows it in place), then back: the phone
    /// pass covers both schemes for the price of a scan rather than a second journey through the app.
    /// </summary>
    private static async Task<IReadOnlyList<string>> ScanInDarkModeAsync(IPage page, string visit)
    {
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        var problems = await AccessibilityScan.ProblemsAsync(page, $"{visit} (Dark, phone)");
        await Screenshots.SaveAsync(page, $"{visit}-Dark, phone");
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        return problems;
    }

    [GeneratedRegex(".+")]
    private static partial Regex AnyTitle();
}
