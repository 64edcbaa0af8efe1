using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Pages;

public sealed class DashboardPage(IPage page)
{
    public ILocator Title => page.GetByTestId("dashboard-title");
    public ILocator WorkspaceName => page.GetByTestId("workspace-name");
    public ILocator PlanChip => page.GetByTestId("plan-chip").First;
    public ILocator TrialDaysLeft => page.GetByTestId("trial-days-left");

    public async Task WaitForAsync(string workspaceName)
    {
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(Title).ToHaveTextAsync(workspaceName);
    }
}
