using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>
/// What the credits pay for: a person upgrades, buys credits and generates a key in the browser; a program calls the
/// API with that key (answers whole and streamed); the open Billing page shows the balance falling without a reload.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class ApiJourney(E2EFixture fixture) : IAsyncLifetime
{
    // Its own app, with a price that makes each call visible in two decimals: 1 credit per output token.
    private AppServer app = null!;

    public async Task InitializeAsync() => app = await AppServer.StartAsync(new Dictionary<string, string>
    {
        ["Pricing:Models:echo-1:InputPerMillion"] = "0",
        ["Pricing:Models:echo-1:OutputPerMillion"] = "1000000",
    });

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_key_generated_in_the_browser_spends_the_credits_bought_in_the_browser()
    {
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
        context.SetDefaultTimeout(15_000);
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var page = await context.NewPageAsync();
        await new AccountPages(page).SignUpAsync("Umbrella");

        var billing = new BillingPage(page);
        await billing.OpenAsync();
        await billing.UpgradeToProAsync();
        await billing.PurchaseCreditsAsync(10, BillingPage.SuccessCard);
        await Expect(billing.Balance).ToHaveTextAsync("10.00");

        var keys = new ApiKeysPage(page);
        await keys.GotoAsync();
        var key = await keys.GenerateAsync("Production");

        await billing.OpenAsync();
        await Expect(billing.Balance).ToHaveTextAsync("10.00");

        using var api = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await api.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "echo-1",
            max_tokens = 3,
            messages = new[] { new { role = "user", content = "one two three four five" } },
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("3.000000", response.Headers.GetValues("X-Credits-Charged").Single());

        // The page was not reloaded: the new balance arrived over the open circuit.
        await Expect(billing.Balance).ToHaveTextAsync("7.00");

        await api.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "echo-1",
            max_tokens = 2,
            messages = new[] { new { role = "user", content = "six seven eight" } },
        });
        await Expect(billing.Balance).ToHaveTextAsync("5.00");

        // A streamed answer settles between its last chunk and [DONE]; the open page follows it the same way.
        var streamed = await api.PostAsJsonAsync("/v1/chat/completions", new
        {
            model = "echo-1",
            max_tokens = 2,
            stream = true,
            messages = new[] { new { role = "user", content = "nine ten eleven" } },
        });
        var events = await streamed.Content.ReadAsStringAsync();
        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        Assert.Contains(": X-Credits-Charged 2.000000", events, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", events, StringComparison.Ordinal);
        await Expect(billing.Balance).ToHaveTextAsync("3.00");
    }
}
