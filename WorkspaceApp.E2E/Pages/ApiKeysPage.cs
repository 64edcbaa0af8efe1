using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Pages;

/// <summary>Settings > API Keys: generate (with the one-time reveal), rotate and revoke keys.</summary>
public sealed partial class ApiKeysPage(IPage page)
{
    public ILocator GenerateButton => page.GetByRole(AriaRole.Button, new() { Name = "Generate API key" });
    public ILocator Dialog => page.GetByRole(AriaRole.Dialog);
    public ILocator RevealedKey => page.GetByTestId("revealed-key");
    public ILocator Rows => page.GetByTestId("api-key-row");
    public ILocator ActiveCount => page.GetByTestId("api-keys-count");

    /// <summary>The row of the key with this name and status ("active", "rotated" or "revoked").</summary>
    public ILocator Row(string name, string status = "active") =>
        page.Locator($"[data-testid=api-key-row][data-status={status}]")
            .Filter(new() { Has = page.GetByTestId("api-key-name").GetByText(name, new() { Exact = true }) });

    public async Task GotoAsync()
    {
        await page.GotoAsync("/settings/api-keys");
        await Expect(GenerateButton).ToBeVisibleAsync();
    }

    /// <summary>Generates a key and returns it as the reveal dialog showed it; the dialog is closed afterwards.</summary>
    public async Task<string> GenerateAsync(string name)
    {
        await StartGenerateAsync(name);
        return await ReadRevealedKeyAndCloseAsync();
    }

    /// <summary>Opens the dialog, types the name and clicks "Generate" (the reveal dialog opens next).</summary>
    public async Task StartGenerateAsync(string name)
    {
        await GenerateButton.ClickAsync();
        await Dialog.GetByLabel("Name").FillAsync(name);
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
    }

    public async Task<string> ReadRevealedKeyAndCloseAsync()
    {
        await Expect(RevealedKey).ToHaveTextAsync(KeyPattern());
        var key = (await RevealedKey.TextContentAsync())!;
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Done", Exact = true }).ClickAsync();
        await Expect(RevealedKey).ToHaveCountAsync(0);
        return key;
    }

    /// <summary>Rotates through the confirmation dialog; returns the replacement key from the reveal.</summary>
    public async Task<string> RotateAsync(string name)
    {
        await Row(name).GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();
        await Expect(Dialog).ToContainTextAsync("will be permanently disabled and replaced with a new one");
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Rotate key", Exact = true }).ClickAsync();
        return await ReadRevealedKeyAndCloseAsync();
    }

    public async Task RevokeAsync(string name)
    {
        await Row(name).GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true }).ClickAsync();
        await Expect(Dialog).ToContainTextAsync("stops working at once");
        await Dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke key", Exact = true }).ClickAsync();
        await Expect(Dialog).ToHaveCountAsync(0);
    }

    /// <summary>The hint the list shows for a key: "wsk_" + its first and last four characters.</summary>
    public static string HintOf(string key) => $"wsk_{key[4..8]}...{key[^4..]}";

    [GeneratedRegex("^wsk_[0-9A-Za-z]{36}$")]
    private static partial Regex KeyPattern();
}
