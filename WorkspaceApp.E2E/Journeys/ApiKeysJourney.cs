using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

[Collection(E2ECollection.Name)]
public sealed class ApiKeysJourney(E2EFixture fixture)
{
    [Fact]
    public async Task An_admin_generates_copies_rotates_and_revokes_a_key_and_reads_the_audit_log()
    {
        var (page, workspace) = await SignUpOnProAsync("Keys");
        var settings = new SettingsPage(page);
        var keys = new ApiKeysPage(page);
        await settings.OpenFromMenuAsync();
        await settings.OpenTabAsync("API Keys");
        await Expect(page.GetByTestId("api-keys-empty")).ToBeVisibleAsync();

        await keys.StartGenerateAsync("Production");
        await Expect(keys.Dialog).ToContainTextAsync("It will not be shown again");
        await keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Copy", Exact = true }).ClickAsync();
        await Expect(keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Copied" })).ToBeVisibleAsync();
        var copied = await page.EvaluateAsync<string>("navigator.clipboard.readText()");
        var key = await keys.ReadRevealedKeyAndCloseAsync();
        Assert.Equal(key, copied);

        await Expect(keys.Rows).ToHaveCountAsync(1);
        await Expect(keys.Row("Production").GetByTestId("api-key-hint")).ToHaveTextAsync(ApiKeysPage.HintOf(key));
        await Expect(keys.Row("Production").GetByTestId("api-key-last-used")).ToHaveTextAsync("never");
        await Expect(page.Locator("body")).Not.ToContainTextAsync(key[4..20]);
        await page.ReloadAsync();
        await Expect(keys.Row("Production")).ToBeVisibleAsync();
        Assert.DoesNotContain(key[4..20], await page.ContentAsync(), StringComparison.Ordinal);

        var replacement = await keys.RotateAsync("Production");
        Assert.NotEqual(key, replacement);
        await Expect(keys.Rows).ToHaveCountAsync(2);
        await Expect(keys.Row("Production", "active").GetByTestId("api-key-hint")).ToHaveTextAsync(ApiKeysPage.HintOf(replacement));
        await Expect(keys.Row("Production", "rotated").GetByTestId("api-key-hint")).ToHaveTextAsync(ApiKeysPage.HintOf(key));
        await Expect(keys.Row("Production", "rotated").GetByTestId("api-key-history")).ToContainTextAsync("replaced by a new key");
        await Expect(keys.Rows.First).ToHaveAttributeAsync("data-status", "active");

        await keys.RevokeAsync("Production");
        await Expect(keys.Row("Production", "revoked").GetByTestId("api-key-hint")).ToHaveTextAsync(ApiKeysPage.HintOf(replacement));
        await Expect(keys.Row("Production", "active")).ToHaveCountAsync(0);
        await Expect(keys.ActiveCount).ToContainTextAsync("0 of 25 active keys");

        var list = await fixture.App.OpsAsync("keys", "list", "--workspace", workspace);
        Assert.Contains($"\tProduction\t{ApiKeysPage.HintOf(key)}\trotated\t", list.Output, StringComparison.Ordinal);
        Assert.Contains($"\tProduction\t{ApiKeysPage.HintOf(replacement)}\trevoked\t", list.Output, StringComparison.Ordinal);

        await settings.OpenTabAsync("Audit log");
        await Expect(settings.AuditActions.Nth(0)).ToHaveTextAsync("API key revoked");
        await Expect(settings.AuditActions.Nth(1)).ToHaveTextAsync("API key rotated");
        await Expect(settings.AuditActions.Nth(2)).ToHaveTextAsync("API key generated");
        await Expect(settings.AuditActions.Nth(3)).ToHaveTextAsync("Plan changed");
        Assert.EndsWith("/settings/audit-log", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_with_a_limit_and_an_expiry_is_rotated_with_a_one_hour_grace_and_both_keys_are_listed()
    {
        var (page, _) = await SignUpOnProAsync("Limits");
        var keys = new ApiKeysPage(page);
        await keys.GotoAsync();

        await keys.GenerateButton.ClickAsync();
        await keys.Dialog.GetByLabel("Name").FillAsync("Production");
        await keys.Dialog.GetByText("Per month", new() { Exact = true }).ClickAsync();
        await keys.Dialog.GetByLabel("Limit in credits").FillAsync("25");
        await keys.Dialog.GetByLabel("Last day (optional)").FillAsync(DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).ClickAsync();
        var key = await keys.ReadRevealedKeyAndCloseAsync();
        await Expect(keys.Row("Production").GetByTestId("api-key-limit")).ToContainTextAsync("0.00 of 25.00 credits per month");
        await Expect(keys.Row("Production").GetByTestId("api-key-expiry")).ToHaveTextAsync("Expires in 30 days");

        await keys.Row("Production").GetByRole(AriaRole.Button, new() { Name = "Rotate", Exact = true }).ClickAsync();
        await keys.Dialog.GetByText("After 1 hour", new() { Exact = true }).ClickAsync();
        await Expect(keys.Dialog).ToContainTextAsync("It keeps working for 1 hour");
        await keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Rotate key", Exact = true }).ClickAsync();
        var replacement = await keys.ReadRevealedKeyAndCloseAsync();

        await Expect(keys.Rows).ToHaveCountAsync(2);
        var current = keys.Row("Production", "active");
        await Expect(current.GetByTestId("api-key-hint")).ToHaveTextAsync(ApiKeysPage.HintOf(replacement));
        await Expect(current.GetByTestId("api-key-limit")).ToContainTextAsync("0.00 of 25.00 credits per month");
        var old = keys.Row("Production", "rotated");
        await Expect(old.GetByTestId("api-key-hint")).ToHaveTextAsync(ApiKeysPage.HintOf(key));
        await Expect(old.GetByTestId("api-key-grace")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Still works for (59|60) minutes$"));
        await Expect(old.GetByRole(AriaRole.Button, new() { Name = "Revoke", Exact = true })).ToBeVisibleAsync();

        // Both keys work during the grace period.
        using var api = new HttpClient { BaseAddress = new Uri(fixture.App.BaseUrl) };
        foreach (var bearer in new[] { key, replacement })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/credits");
            request.Headers.Authorization = new("Bearer", bearer);
            Assert.Equal(System.Net.HttpStatusCode.OK, (await api.SendAsync(request)).StatusCode);
        }

        // The Limits dialog opens on the chosen period, and the keyboard changes it.
        await current.GetByRole(AriaRole.Button, new() { Name = "Limits", Exact = true }).ClickAsync();
        await Keyboard.AssertFocusedAsync(page, keys.Dialog.GetByRole(AriaRole.Radio, new() { Name = "Per month" }), "the chosen period in the Limits dialog");
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(keys.Dialog.GetByRole(AriaRole.Radio, new() { Name = "In total" })).ToBeCheckedAsync();
        await keys.Dialog.GetByLabel("Limit in credits").FillAsync("40");
        await keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Save limits" }).ClickAsync();
        await Expect(keys.Dialog).ToHaveCountAsync(0);
        await Expect(current.GetByTestId("api-key-limit")).ToContainTextAsync("0.00 of 40.00 credits in total");
    }

    [Fact]
    public async Task Double_clicking_generate_creates_one_key()
    {
        var (page, workspace) = await SignUpOnProAsync("Double");
        var keys = new ApiKeysPage(page);
        await keys.GotoAsync();

        await keys.GenerateButton.ClickAsync();
        await keys.Dialog.GetByLabel("Name").FillAsync("My app");
        await keys.Dialog.GetByRole(AriaRole.Button, new() { Name = "Generate", Exact = true }).DblClickAsync();
        var key = await keys.ReadRevealedKeyAndCloseAsync();

        await Expect(keys.Rows).ToHaveCountAsync(1);
        await Expect(keys.Row("My app").GetByTestId("api-key-hint")).ToHaveTextAsync(ApiKeysPage.HintOf(key));
        var list = await fixture.App.OpsAsync("keys", "list", "--workspace", workspace);
        Assert.Single(list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // The page object other journeys reuse hands back a second, distinct key.
        Assert.NotEqual(key, await keys.GenerateAsync("Production"));
        await Expect(keys.Rows).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task On_trial_the_tab_explains_that_api_access_needs_pro_and_generate_is_disabled()
    {
        var page = await fixture.NewPageAsync();
        await new AccountPages(page).SignUpAsync($"Trial {Guid.NewGuid():N}");
        var keys = new ApiKeysPage(page);

        await keys.GotoAsync();

        await Expect(page.GetByTestId("api-keys-needs-pro")).ToContainTextAsync("API access needs the Pro plan");
        await Expect(keys.GenerateButton).ToBeDisabledAsync();
    }

    /// <summary>A new user whose workspace an operator moved to Pro (no billing UI involved).</summary>
    private async Task<(IPage Page, string Workspace)> SignUpOnProAsync(string prefix)
    {
        var page = await fixture.NewPageAsync();
        var workspace = $"{prefix} {Guid.NewGuid():N}";
        await new AccountPages(page).SignUpAsync(workspace);
        var plan = await fixture.App.OpsAsync("plan", "set", "--workspace", workspace, "--plan", "pro");
        Assert.True(plan.ExitCode == 0, plan.Error);
        await page.ReloadAsync();
        await Expect(new DashboardPage(page).PlanChip).ToHaveTextAsync("Pro");
        return (page, workspace);
    }
}
