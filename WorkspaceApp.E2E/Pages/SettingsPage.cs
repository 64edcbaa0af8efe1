using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Pages;

/// <summary>Settings, with its tabs "General", "API Keys" and "Audit log".</summary>
public sealed class SettingsPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new() { Name = "Settings" });
    public ILocator AuditActions => page.GetByTestId("audit-action");

    /// <summary>Opens Settings from the navigation menu, as a person does.</summary>
    public async Task OpenFromMenuAsync()
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await page.WaitForURLAsync("**/settings**");
        await Expect(Heading).ToBeVisibleAsync();
    }

    public async Task OpenTabAsync(string name)
    {
        await page.GetByRole(AriaRole.Tab, new() { Name = name, Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Tab, new() { Name = name, Exact = true })).ToHaveAttributeAsync("aria-selected", "true");
    }
}
