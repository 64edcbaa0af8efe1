using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>
/// Where the credits went: after a program calls the API, the Usage page shows the calls in its chart and tables,
/// follows a new call without a reload, and downloads them as CSV; on a phone the tables are stacked cards.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class UsageJourney(E2EFixture fixture)
{
    [Fact]
    public async Task Api_calls_show_on_the_usage_page_and_download_as_csv()
    {
        var page = await fixture.NewPageAsync();
        await new AccountPages(page).SignUpAsync($"Usage {Guid.NewGuid():N}");
        var billing = new BillingPage(page);
        await billing.OpenAsync();
        await billing.UpgradeToProAsync();
        await billing.PurchaseCreditsAsync(10, BillingPage.SuccessCard);
        var keys = new ApiKeysPage(page);
        await keys.GotoAsync();
        var key = await keys.GenerateAsync("Production");

        var usage = new UsagePage(page);
        await usage.OpenAsync();
        await Expect(usage.Empty).ToBeVisibleAsync();

        using var api = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var charged = 0m;
        foreach (var model in new[] { "echo-1", "echo-1-mini", "echo-1" })
        {
            var response = await api.PostAsJsonAsync("/v1/chat/completions", new
            {
                model,
                max_tokens = 5,
                messages = new[] { new { role = "user", content = "Where did my credits go? All of them." } },
            });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            charged += decimal.Parse(response.Headers.GetValues("X-Credits-Charged").Single(), System.Globalization.CultureInfo.InvariantCulture);
        }

        // Not reloaded: the calls arrive over the open circuit.
        await Expect(usage.TotalRequests).ToHaveTextAsync("3");
        var total = charged.ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture);
        await Expect(usage.TotalSpend).ToHaveTextAsync(total);
        await Expect(usage.Chart.Locator("svg")).ToBeVisibleAsync();
        await Expect(usage.Row(usage.ByKey, "Production").GetByTestId("usage-row-requests")).ToHaveTextAsync("3");
        await Expect(usage.Row(usage.ByKey, "Production").GetByTestId("usage-row-spend")).ToHaveTextAsync(total);
        await Expect(usage.Row(usage.ByModel, "echo-1-mini").GetByTestId("usage-row-requests")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("burn-rate")).ToContainTextAsync("your balance lasts");

        // The chart and tables (the accessibility journey scans the empty page) pass axe in both colour schemes.
        var problems = new List<string>(await AccessibilityScan.ProblemsAsync(page, "usage with data (light)"));
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        problems.AddRange(await AccessibilityScan.ProblemsAsync(page, "usage with data (dark)"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        var download = await page.RunAndWaitForDownloadAsync(() => usage.DownloadButton.ClickAsync());
        Assert.Matches(@"^usage-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$", download.SuggestedFilename);
        var lines = (await File.ReadAllLinesAsync(await download.PathAsync())).Where(l => l.Length > 0).ToList();
        Assert.Equal("time_utc,key_name,key_hint,model,input_tokens,output_tokens,cost_credits,status", lines[0]);
        Assert.Equal(3, lines.Count - 1);
        Assert.All(lines.Skip(1), l => Assert.Contains(",Production,wsk_", l, StringComparison.Ordinal));

        // The same figures on a phone, each row a card that fits the screen.
        await page.SetViewportSizeAsync(390, 844);
        await usage.OpenAsync("?range=7d");
        var card = usage.Row(usage.ByKey, "Production");
        await Reach.AssertFullyShownAsync(page, card, "the Production key's card");
        await Reach.AssertReachableAsync(page, usage.DownloadButton, "Download CSV");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 390"), "the Usage page scrolls sideways on a phone");
    }
}
