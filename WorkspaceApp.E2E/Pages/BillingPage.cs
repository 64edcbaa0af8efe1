using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Pages;

/// <summary>The Billing page, its purchase stepper and the in-app TEST MODE checkout, driven as a person would.</summary>
public sealed partial class BillingPage(IPage page)
{
    public const string SuccessCard = "4242 4242 4242 4242";
    public const string DeclinedCard = "4000 0000 0000 0002";
    public const string InsufficientFundsCard = "4000 0000 0000 9995";

    /// <summary>The balance number alone, for example "25.00".</summary>
    public ILocator Balance => page.GetByTestId("credit-balance");
    public ILocator CreditsSection => page.GetByRole(AriaRole.Heading, new() { Name = "API add-on & credits" });
    public ILocator PurchaseButton => Button("Purchase API credits");
    public ILocator UpgradeButton => Button("Upgrade to Pro");
    public ILocator Stepper => page.GetByTestId("purchase-stepper");
    public ILocator CreditsInput => page.GetByLabel("Credits", new() { Exact = true });
    public ILocator Total => page.GetByTestId("purchase-total");
    public ILocator SummaryTotal => page.GetByTestId("summary-total");
    public ILocator PaymentNotice => page.GetByTestId("payment-notice");
    public ILocator Added => page.GetByTestId("purchase-added");
    public ILocator NewBalance => page.GetByTestId("purchase-new-balance");
    public ILocator History => page.GetByTestId("purchase-history");
    public ILocator CheckoutTotal => page.GetByTestId("checkout-total");
    public ILocator PaymentError => page.GetByTestId("payment-error");

    public ILocator Button(string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    public async Task OpenAsync()
    {
        await page.GotoAsync("/billing");
        await Expect(CreditsSection).ToBeVisibleAsync();
    }

    /// <summary>Test mode: "Upgrade to Pro", confirm in the dialog, and wait for the Pro plan.</summary>
    public async Task UpgradeToProAsync()
    {
        if (new Uri(page.Url).AbsolutePath != "/billing") await OpenAsync();
        await UpgradeButton.ClickAsync();
        await Button("Upgrade").ClickAsync();
        await Expect(page.GetByTestId("plan-chip").First).ToHaveTextAsync("Pro");
        await Expect(PurchaseButton).ToBeEnabledAsync();
    }

    /// <summary>Step 1: open the stepper, type the credits, check the total, go on to the payment step.</summary>
    public async Task ChooseCreditsAsync(int credits)
    {
        await PurchaseButton.ClickAsync();
        await CreditsInput.FillAsync(credits.ToString(CultureInfo.InvariantCulture));
        await Expect(Total).ToHaveTextAsync(Euros(credits));
        await Button("Next").ClickAsync();
        await Expect(SummaryTotal).ToHaveTextAsync(Euros(credits));
    }

    /// <summary>Step 2: continue to the test checkout and pay with <paramref name="cardNumber"/>.</summary>
    public async Task PayAsync(int credits, string cardNumber)
    {
        await Button("Continue to payment").ClickAsync();
        await page.WaitForURLAsync(CheckoutUrl());
        await Expect(page.GetByTestId("test-mode")).ToHaveTextAsync("TEST MODE");
        await Expect(CheckoutTotal).ToHaveTextAsync(Euros(credits));
        await PayOnCheckoutAsync(cardNumber, Euros(credits));
    }

    /// <summary>On the test checkout: fill in the card and click "Pay ..." (<paramref name="total"/> if given).</summary>
    public async Task PayOnCheckoutAsync(string cardNumber, string? total = null)
    {
        await page.GetByLabel("Card number").FillAsync(cardNumber);
        await page.GetByLabel("Expiry (MM/YY)").FillAsync($"12/{(DateTime.UtcNow.Year + 3) % 100:00}");
        await page.GetByLabel("CVC").FillAsync("123");
        var pay = total is null ? page.GetByRole(AriaRole.Button, new() { Name = "Pay " }) : Button($"Pay {total}");
        await pay.ClickAsync();
    }

    /// <summary>
    /// The whole purchase: choose, pay, and for a good card confirm the added amount and close with Done;
    /// for a declined card, see the error, return to Billing and cancel. Ends on /billing.
    /// </summary>
    public async Task PurchaseCreditsAsync(int credits, string cardNumber)
    {
        if (new Uri(page.Url).AbsolutePath != "/billing") await OpenAsync();
        await ChooseCreditsAsync(credits);
        await PayAsync(credits, cardNumber);
        if (cardNumber == SuccessCard)
        {
            await Expect(Added).ToHaveTextAsync($"{credits}.00");
            await Button("Done").ClickAsync();
        }
        else
        {
            await Expect(PaymentError).ToBeVisibleAsync();
            await Button("Return to Billing").ClickAsync();
            await Expect(PaymentNotice).ToContainTextAsync("Payment failed");
            await Button("Cancel").ClickAsync();
        }
        await Expect(Stepper).ToBeHiddenAsync();
    }

    public static string Euros(int credits) => "€" + credits.ToString("#,##0", CultureInfo.InvariantCulture) + ".00";

    [GeneratedRegex(@"/billing/checkout/\d+$")]
    private static partial Regex CheckoutUrl();
}
