using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Pages;

/// <summary>The Usage page: totals, the spend chart, the tables per key and per model, the CSV download.</summary>
public sealed class UsagePage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Usage", Exact = true, Level = 1 });
    public ILocator TotalSpend => page.GetByTestId("usage-total-spend");
    public ILocator TotalRequests => page.GetByTestId("usage-total-requests");
    public ILocator Chart => page.GetByTestId("usage-chart");
    public ILocator Empty => page.GetByTestId("usage-empty");
    public ILocator ByKey => page.GetByTestId("usage-by-key");
    public ILocator ByModel => page.GetByTestId("usage-by-model");
    public ILocator DownloadButton => page.GetByTestId("usage-export");

    /// <summary>The table row (a card on a phone) of this key or model.</summary>
    public ILocator Row(ILocator table, string name) =>
        table.Locator("tr").Filter(new() { Has = page.GetByTestId("usage-row-name").GetByText(name) });

    public async Task OpenAsync(string query = "")
    {
        await page.GotoAsync("/usage" + query);
        await Expect(Heading).ToBeVisibleAsync();
        await Expect(TotalSpend).ToBeVisibleAsync();
    }
}
