using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>On a 390x844 phone the key actions are on screen and clickable, and the journeys complete.</summary>
[Collection(E2ECollection.Name)]
public sealed class PhoneJourney(E2EFixture fixture)
{
    [Fact]
    public async Task On_a_phone_every_key_action_is_inside_the_screen_and_clickable()
    {
        var page = await fixture.NewPageAsync(options => options.ViewportSize = new() { Width = 390, Height = 844 });
        var account = new AccountPages(page);
        var billing = new BillingPage(page);
        var keys = new ApiKeysPage(page);
        await account.SignUpAsync($"Phone {Guid.NewGuid():N}");
        await Reach.AssertReachableAsync(page, page.GetByTestId("user-menu").GetByRole(AriaRole.Button), "User menu");
        await AssertNoSidewaysScrollAsync(page, "dashboard");
        await page.GetByTestId("user-menu").GetByRole(AriaRole.Button).ClickAsync();
        await Reach.AssertFullyShownAsync(page, page.GetByRole(AriaRole.Menu), "the user menu");
        await Reach.AssertReachableAsync(page, page.GetByRole(AriaRole.Menuitem, new() { Name = "Log out" }), "Log out");
        await page.Mouse.ClickAsync(195, 800); // beside the menu, which closes it
        await Expect(page.GetByRole(AriaRole.Menu)).ToBeHiddenAsync();

        await billing.OpenAsync();
        await Reach.AssertReachableAsync(page, billing.UpgradeButton, "Upgrade to Pro");
        await billing.UpgradeToProAsync();
        await Reach.AssertReachableAsync(page, billing.PurchaseButton, "Purchase API credits");
        await billing.PurchaseButton.ClickAsync();
        await billing.CreditsInput.FillAsync("25");
        await Reach.AssertReachableAsync(page, billing.Button("Next"), "Next");
        await Reach.AssertFullyShownAsync(page, page.GetByTestId("phone-steps").GetByText("Confirm balance"), "step 3 of the stepper");
        await AssertNoSidewaysScrollAsync(page, "purchase step 1");
        await billing.Button("Next").ClickAsync();
        await billing.Button("Continue to payment").ClickAsync();
        await Expect(billing.CheckoutTotal).ToHaveTextAsync("€25.00");
        await Reach.AssertReachableAsync(page, billing.Button("Pay €25.00"), "Pay");
        await billing.PayOnCheckoutAsync(BillingPage.SuccessCard, "€25.00");
        await Expect(billing.Added).ToHaveTextAsync("25.00");
        await billing.Button("Done").ClickAsync();
        await AssertNoSidewaysScrollAsync(page, "billing");
        await Screenshots.SaveAsync(page, "phone billing");
        await billing.History.GetByRole(AriaRole.Button, new() { Name = "View receipt" }).ClickAsync();
        var receipt = page.GetByRole(AriaRole.Dialog);
        await Expect(receipt.GetByTestId("receipt-total")).ToHaveTextAsync("€25.00");
        await Reach.AssertFullyShownAsync(page, receipt, "the receipt (emails wrap, nothing cut off)");
        await Reach.AssertReachableAsync(page, receipt.GetByRole(AriaRole.Button, new() { Name = "Close" }), "Close");
        await receipt.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();

        await keys.GotoAsync();
        foreach (var tab in new[] { "General", "Members", "API Keys", "Audit log" })
            await Reach.AssertReachableAsync(page, page.GetByRole(AriaRole.Tab, new() { Name = tab, Exact = true }), $"the {tab} tab");
        await Reach.AssertReachableAsync(page, keys.GenerateButton, "Generate API key");
        await keys.GenerateAsync("Production");
        var rotate = keys.Row("Production").GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true });
        await Reach.AssertReachableAsync(page, rotate, "Rotate");
        await keys.RotateAsync("Production");
        var revoke = keys.Row("Production").GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true });
        await Reach.AssertReachableAsync(page, revoke, "Revoke");
        await AssertNoSidewaysScrollAsync(page, "API keys");
        await Screenshots.SaveAsync(page, "phone api keys");
        await keys.RevokeAsync("Production");
        await Expect(keys.Row("Production", "revoked")).ToBeVisibleAsync();

        var members = new MembersPage(page);
        await members.GotoAsync();
        await Reach.AssertReachableAsync(page, page.GetByTestId("workspace-switcher").GetByRole(AriaRole.Button), "the workspace switcher");
        await Reach.AssertReachableAsync(page, members.InviteButton, "Invite member");
        await members.InviteAsync($"phone-{Guid.NewGuid():N}@example.com");
        // The invitation is the last card: a person scrolls it up into the middle of the screen (an edge-aligned
        // scroll can leave a fraction of a pixel below the fold).
        var resend = page.GetByRole(AriaRole.Button, new() { Name = "Resend" });
        await resend.EvaluateAsync("e => e.scrollIntoView({ block: 'center' })");
        await Reach.AssertReachableAsync(page, resend, "Resend");
        await Reach.AssertReachableAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Revoke" }), "Revoke");
        await AssertNoSidewaysScrollAsync(page, "members");
        await Screenshots.SaveAsync(page, "phone members");
    }

    /// <summary>The page fits the screen's width; the message names the elements that are wider.</summary>
    private static async Task AssertNoSidewaysScrollAsync(IPage page, string where)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        if (width <= 390) return;
        var wider = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('body *')].filter(e => e.scrollWidth > 390)
                .map(e => `${e.tagName}.${e.className} (${e.scrollWidth}px)`).slice(-5).join('; ')
            """);
        Assert.Fail($"{where}: the page is {width}px wide on a 390px screen; widest: {wider}");
    }
}
