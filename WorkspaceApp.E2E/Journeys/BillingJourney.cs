using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

[Collection(E2ECollection.Name)]
public sealed class BillingJourney(E2EFixture fixture)
{
    [Fact]
    public async Task A_new_user_upgrades_buys_25_credits_step_by_step_and_a_declined_card_changes_nothing()
    {
        var page = await fixture.NewPageAsync();
        await new AccountPages(page).SignUpAsync("Umbrella");
        var billing = new BillingPage(page);

        // Trial: the page says why the API needs Pro and offers the upgrade.
        await page.GetByRole(AriaRole.Link, new() { Name = "Open Billing" }).ClickAsync();
        await Expect(billing.CreditsSection).ToBeVisibleAsync();
        await Expect(billing.Balance).ToHaveTextAsync("0.00");
        await Expect(billing.PurchaseButton).ToBeDisabledAsync();
        await Expect(page.GetByTestId("trial-cannot-buy")).ToContainTextAsync("Upgrade to Pro first");
        await billing.UpgradeToProAsync();

        // A second tab on Billing sees the purchase land without a reload.
        var otherTab = await page.Context.NewPageAsync();
        var otherBilling = new BillingPage(otherTab);
        await otherBilling.OpenAsync();
        await Expect(otherBilling.Balance).ToHaveTextAsync("0.00");

        // Step 1: a bad quantity is explained and blocks Next; the total follows what is typed.
        await billing.PurchaseButton.ClickAsync();
        await billing.CreditsInput.FillAsync("4");
        await Expect(page.GetByText("Choose a whole number of credits from 5 to 10,000.").First).ToBeVisibleAsync(); // and announced (live region)
        await Expect(billing.Button("Next")).ToBeDisabledAsync();
        await billing.Button("100 credits").ClickAsync();
        await Expect(billing.Total).ToHaveTextAsync("€100.00");
        await billing.CreditsInput.FillAsync("25");
        await Expect(billing.Total).ToHaveTextAsync("€25.00");
        await billing.Button("Next").ClickAsync();

        // Step 2: the summary; Back keeps the choice.
        await Expect(billing.SummaryTotal).ToHaveTextAsync("€25.00");
        await billing.Button("Back").ClickAsync();
        await Expect(billing.CreditsInput).ToHaveValueAsync("25");
        await billing.Button("Next").ClickAsync();

        // The TEST MODE checkout, then step 3: the amount added and the new balance.
        await billing.PayAsync(25, BillingPage.SuccessCard);
        await Expect(billing.Added).ToHaveTextAsync("25.00");
        await Expect(billing.NewBalance).ToHaveTextAsync("25.00");
        await Expect(billing.Balance).ToHaveTextAsync("25.00");
        await Expect(otherBilling.Balance).ToHaveTextAsync("25.00");
        await billing.Button("Done").ClickAsync();
        await Expect(billing.Stepper).ToBeHiddenAsync();

        // History and receipt.
        var paidRow = billing.History.GetByRole(AriaRole.Row).Filter(new() { HasText = "Paid" });
        await Expect(paidRow).ToContainTextAsync("€25.00");
        await paidRow.GetByRole(AriaRole.Button, new() { Name = "View receipt" }).ClickAsync();
        var receipt = page.GetByRole(AriaRole.Dialog);
        await Expect(receipt.GetByTestId("receipt-total")).ToHaveTextAsync("€25.00");
        await Expect(receipt).ToContainTextAsync("Test mode card •••• 4242");
        await receipt.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await Expect(receipt).ToBeHiddenAsync();

        // A declined card: the checkout says so, Billing explains, and the balance stays at 25.00.
        await billing.ChooseCreditsAsync(10);
        await billing.PayAsync(10, BillingPage.DeclinedCard);
        await Expect(billing.PaymentError).ToContainTextAsync("Your card was declined.");
        await billing.Button("Return to Billing").ClickAsync();
        await Expect(billing.PaymentNotice).ToContainTextAsync("Payment failed: Your card was declined.");
        await Expect(billing.Balance).ToHaveTextAsync("25.00");
        await billing.Button("Cancel").ClickAsync();
        await Expect(billing.History.GetByRole(AriaRole.Row).Filter(new() { HasText = "Failed" })).ToContainTextAsync("€10.00");
        await Expect(billing.Balance).ToHaveTextAsync("25.00");

        var verify = await fixture.App.OpsAsync("ledger", "verify");
        Assert.Equal(0, verify.ExitCode);
        Assert.StartsWith("ledger ok:", verify.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_object_buys_credits_for_other_journeys_and_cancel_at_checkout_credits_nothing()
    {
        var page = await fixture.NewPageAsync();
        await new AccountPages(page).SignUpAsync("Cyberdyne");
        var billing = new BillingPage(page);
        await billing.UpgradeToProAsync();

        await billing.PurchaseCreditsAsync(10, BillingPage.SuccessCard);
        await billing.PurchaseCreditsAsync(5, BillingPage.InsufficientFundsCard);
        await Expect(billing.Balance).ToHaveTextAsync("10.00");

        await billing.ChooseCreditsAsync(50);
        await billing.Button("Continue to payment").ClickAsync();
        await billing.Button("Cancel and return to Billing").ClickAsync();
        await Expect(billing.PaymentNotice).ToContainTextAsync("Checkout cancelled");
        await Expect(billing.Balance).ToHaveTextAsync("10.00");
        await Expect(billing.History.GetByRole(AriaRole.Row).Filter(new() { HasText = "Expired" })).ToContainTextAsync("€50.00");
    }
}
