using System.Net.Http.Headers;
using System.Net.Http.Json;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>
/// Spend control in the browser: an admin sets a low-balance alert, a program spends below it and the open page shows
/// the banner without a reload; then auto top-up with the test card saved at a purchase buys credits by itself.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class AlertsJourney(E2EFixture fixture) : IAsyncLifetime
{
    // 1 credit per output token: max_tokens N costs N credits.
    private AppServer app = null!;

    public async Task InitializeAsync() => app = await AppServer.StartAsync(new Dictionary<string, string>
    {
        ["Pricing:Models:echo-1:InputPerMillion"] = "0",
        ["Pricing:Models:echo-1:OutputPerMillion"] = "1000000",
    });

    public async Task DisposeAsync() => await app.DisposeAsync();

    private static async Task SpendAsync(HttpClient api, int credits)
    {
        var response = await api.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "echo-1",
            max_tokens = credits,
            messages = new[] { new { role = "user", content = "one two three four five six seven eight" } },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_low_balance_shows_the_banner_live_and_auto_top_up_with_the_saved_test_card_buys_credits()
    {
        var page = await fixture.NewPageAsync(app: app);
        await new AccountPages(page).SignUpAsync("Initech");
        var billing = new BillingPage(page);
        await billing.OpenAsync();
        await billing.UpgradeToProAsync();

        // The first purchase saves the test card for auto top-up.
        await billing.ChooseCreditsAsync(10);
        await page.GetByLabel("Save the card for auto top-up").CheckAsync();
        await billing.PayAsync(10, BillingPage.SuccessCard);
        await Expect(billing.Added).ToHaveTextAsync("10.00");
        await billing.Button("Done").ClickAsync();
        var keys = new ApiKeysPage(page);
        await keys.GotoAsync();
        var key = await keys.GenerateAsync("Production");

        await billing.OpenAsync();
        await Expect(page.GetByTestId("saved-card")).ToContainTextAsync("4242");
        await page.GetByLabel("Alert on low balance").CheckAsync();
        await page.GetByLabel("Alert below (credits)").FillAsync("8");
        await billing.Button("Save alert").ClickAsync();
        await Expect(page.GetByTestId("alert-result")).ToHaveTextAsync("Alert set: below 8 credits.");
        await Expect(page.GetByTestId("low-balance-banner")).ToBeHiddenAsync();

        using var api = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await SpendAsync(api, 3);
        // No reload: the balance and the banner arrive over the open circuit.
        await Expect(billing.Balance).ToHaveTextAsync("7.00");
        await Expect(page.GetByTestId("low-balance-banner")).ToContainTextAsync("below the alert threshold of 8.00 credits");

        await page.GetByLabel("Auto top-up", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("When below (credits)").FillAsync("5");
        await page.GetByLabel("Buy (credits)").FillAsync("20");
        await page.GetByLabel("At most per month (credits)").FillAsync("100");
        await billing.Button("Save auto top-up").ClickAsync();
        await Expect(page.GetByTestId("auto-topup-result")).ToHaveTextAsync("Auto top-up is on.");

        await SpendAsync(api, 3); // 4 credits left, below 5: auto top-up buys 20
        await Expect(billing.Balance).ToHaveTextAsync("24.00");
        await Expect(page.GetByTestId("low-balance-banner")).ToBeHiddenAsync();
        await Expect(billing.History.GetByTestId("auto-topup-chip")).ToHaveCountAsync(1);
    }
}
