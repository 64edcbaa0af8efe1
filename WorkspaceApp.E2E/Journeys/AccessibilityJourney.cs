using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>
/// Every page and dialog, in light and dark mode (the app follows the operating system), scanned with axe: no
/// critical or serious violation, one main landmark, one h1, a skip link. The visits run in order, as one person
/// would go through the app; a new page joins the scan with one line in <see cref="Visits"/>.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class AccessibilityJourney(E2EFixture fixture)
{
    /// <summary>A named state of the app to scan; Scan = false for the steps between two states.</summary>
    private sealed record Visit(string Name, Func<Session, Task> Go, bool Scan = true);

    private sealed record Session(IPage Page, BillingPage Billing, ApiKeysPage Keys, AccountPages Account)
    {
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
        new("sign up", s => s.Account.SignUpAsync($"A11y {Guid.NewGuid():N}"), Scan: false),
        new("dashboard", s => Expect(s.Page.GetByTestId("dashboard-title")).ToBeVisibleAsync()),
        new("user menu", async s => { await s.Page.GetByTestId("user-menu").ClickAsync(); await Expect(s.Page.GetByRole(AriaRole.Menu)).ToBeVisibleAsync(); }),
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
        new("rotate confirmation", async s => { await s.Keys.Row("Production").GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync(); await Expect(s.Button("Rotate key")).ToBeVisibleAsync(); }),
        new("revoke confirmation", async s => { await s.Click("Rotate key"); await s.Keys.ReadRevealedKeyAndCloseAsync(); await s.Keys.Row("Production").GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync(); await Expect(s.Button("Revoke key")).ToBeVisibleAsync(); }),
        new("settings: API keys with history", async s => { await s.Click("Revoke key"); await Expect(s.Keys.Row("Production", "revoked")).ToBeVisibleAsync(); }),
        new("settings: audit log", async s => { await s.Goto("/settings/audit-log"); await Expect(s.Page.GetByTestId("audit-action").First).ToBeVisibleAsync(); }),
        new("usage", async s => { await s.Goto("/usage"); await Expect(s.Page.GetByTestId("usage-total-spend")).ToBeVisibleAsync(); }),
        new("usage: custom dates", async s => { await s.Page.GetByTestId("usage-range").ClickAsync(); await s.Page.GetByRole(AriaRole.Option, new() { Name = "Custom dates" }).ClickAsync(); await Expect(s.Page.GetByRole(AriaRole.Textbox, new() { Name = "Start date" })).ToBeVisibleAsync(); }),
        new("account", s => s.Goto("/Account/Manage")),
        new("change password", s => s.Goto("/Account/Manage/ChangePassword")),
        new("not found", s => s.Goto("/no-such-page")),
    ];

    [Theory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Every_page_and_dialog_has_no_serious_accessibility_violation(ColorScheme scheme)
    {
        var page = await fixture.NewPageAsync(options => options.ColorScheme = scheme);
        var session = new Session(page, new BillingPage(page), new ApiKeysPage(page), new AccountPages(page));
        var problems = new List<string>();

        foreach (var visit in Visits)
        {
            try { await visit.Go(session); }
            catch (Exception e) { throw new InvalidOperationException($"Could not reach \"{visit.Name}\" ({scheme}): {e.Message}", e); }
            if (!visit.Scan) continue;
            problems.AddRange(await AccessibilityScan.ProblemsAsync(page, $"{visit.Name} ({scheme})"));
            await Screenshots.SaveAsync(page, $"{visit.Name}-{scheme}");
        }

        Assert.True(problems.Count == 0, $"{problems.Count} accessibility problems:\n" + string.Join("\n", problems));
    }

    [GeneratedRegex(".+")]
    private static partial Regex AnyTitle();
}
