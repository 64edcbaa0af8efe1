using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;
using static WorkspaceApp.E2E.Infrastructure.Keyboard;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>
/// The purchase stepper and the API key dialogs with the keyboard alone: after every step focus is somewhere that
/// makes sense (the step's heading, the dialog's first field, the key just made), never lost to the page body.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class KeyboardJourney(E2EFixture fixture)
{
    [Fact]
    public async Task Moving_to_another_page_with_the_keyboard_puts_focus_on_its_heading()
    {
        var page = await fixture.NewPageAsync();
        await new AccountPages(page).SignUpAsync($"Nav {Guid.NewGuid():N}");
        var navigation = page.GetByRole(AriaRole.Navigation);

        foreach (var (link, heading) in new[] { ("Billing", "Billing"), ("Usage", "Usage"), ("Settings", "Settings") })
        {
            await FocusWithKeyboardAsync(page, navigation.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }));
            await page.Keyboard.PressAsync("Enter");
            var h1 = page.Locator("h1");
            await Expect(h1).ToHaveTextAsync(heading);
            await AssertFocusedAsync(page, h1, $"the heading of {heading}");
        }
    }

    [Fact]
    public async Task The_purchase_stepper_works_with_the_keyboard_and_focus_follows_the_steps()
    {
        var page = await fixture.NewPageAsync();
        var billing = new BillingPage(page);
        await new AccountPages(page).SignUpAsync($"Keys {Guid.NewGuid():N}");
        await billing.UpgradeToProAsync();
        var step = page.GetByTestId("step-heading");

        await FocusWithKeyboardAsync(page, billing.PurchaseButton);
        await AssertVisibleFocusRingAsync(page, "Purchase API credits");
        await page.Keyboard.PressAsync("Enter");
        await AssertFocusedAsync(page, step, "the heading of step 1");
        await Expect(step).ToHaveTextAsync("Step 1 of 3: Choose credits");

        await TabToAsync(page, billing.CreditsInput, "Credits");
        await page.Keyboard.TypeAsync("4");
        await AssertErrorLinkedAsync(billing.CreditsInput, "from 5 to 10,000");
        await page.Keyboard.PressAsync("Backspace");
        await page.Keyboard.TypeAsync("25");
        await Expect(billing.Total).ToHaveTextAsync("€25.00");
        await TabToAsync(page, billing.Button("Next"), "Next");
        await page.Keyboard.PressAsync("Enter");
        await AssertFocusedAsync(page, step, "the heading of step 2");
        await Expect(step).ToHaveTextAsync("Step 2 of 3: Complete payment");

        await TabToAsync(page, billing.Button("Continue to payment"), "Continue to payment");
        await page.Keyboard.PressAsync("Enter");
        await Expect(billing.CheckoutTotal).ToHaveTextAsync("€25.00");
        await AssertFocusedAsync(page, page.Locator("h1"), "the checkout's heading");
        await TabToAsync(page, page.GetByLabel("Card number"), "Card number");
        await page.Keyboard.TypeAsync(BillingPage.SuccessCard);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync($"12/{(DateTime.UtcNow.Year + 3) % 100:00}");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync("123");
        await TabToAsync(page, billing.Button("Pay €25.00"), "Pay");
        await page.Keyboard.PressAsync("Enter");

        await Expect(billing.Added).ToHaveTextAsync("25.00");
        await AssertFocusedAsync(page, step, "the heading of step 3");
        await Expect(step).ToHaveTextAsync("Step 3 of 3: Confirm balance");
        await TabToAsync(page, billing.Button("Done"), "Done");
        await page.Keyboard.PressAsync("Enter");
        await Expect(billing.Stepper).ToBeHiddenAsync();
        await AssertFocusedAsync(page, billing.PurchaseButton, "Purchase API credits");
    }

    [Fact]
    public async Task Generate_reveal_rotate_and_revoke_work_with_the_keyboard_and_focus_lands_on_the_key()
    {
        var page = await fixture.NewPageAsync();
        var keys = new ApiKeysPage(page);
        await new AccountPages(page).SignUpAsync($"Keys {Guid.NewGuid():N}");
        await new BillingPage(page).UpgradeToProAsync();
        await keys.GotoAsync();
        var name = keys.Dialog.GetByLabel("Name");
        var copy = keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Copy" });

        await FocusWithKeyboardAsync(page, keys.GenerateButton);
        await page.Keyboard.PressAsync("Enter");
        await AssertFocusedAsync(page, name, "the Name field of the Generate dialog");
        await TabToAsync(page, keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }), "Generate");
        await page.Keyboard.PressAsync("Enter");
        await AssertErrorLinkedAsync(name, "Give the key a name");
        await TabToAsync(page, name, "Name");
        await page.Keyboard.TypeAsync("Production");
        await page.Keyboard.PressAsync("Enter");

        await AssertFocusedAsync(page, copy, "Copy, beside the new key");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByTestId("copy-status")).ToHaveTextAsync("Key copied to the clipboard");
        await Expect(page.GetByTestId("copy-status")).ToHaveAttributeAsync("role", "status");
        await TabToAsync(page, keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }), "Done");
        await page.Keyboard.PressAsync("Enter");
        await AssertFocusedAsync(page, keys.Row("Production"), "the new key's row");

        var rotate = keys.Row("Production").GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true });
        await TabToAsync(page, rotate, "Rotate");
        await AssertVisibleFocusRingAsync(page, "Rotate");
        await page.Keyboard.PressAsync("Enter");
        await AssertFocusedAsync(page, keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }), "Cancel in the rotate confirmation");
        await TabToAsync(page, keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Rotate key" }), "Rotate key");
        await page.Keyboard.PressAsync("Enter");
        await AssertFocusedAsync(page, copy, "Copy, beside the replacement key");
        await TabToAsync(page, keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Done" }), "Done");
        await page.Keyboard.PressAsync("Enter");
        await AssertFocusedAsync(page, keys.Row("Production"), "the replacement key's row");

        await TabToAsync(page, keys.Row("Production").GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }), "Revoke");
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }), "Revoke key");
        await page.Keyboard.PressAsync("Enter");
        await AssertFocusedAsync(page, keys.Row("Production", "revoked").Last, "the revoked key's row");
    }
}
