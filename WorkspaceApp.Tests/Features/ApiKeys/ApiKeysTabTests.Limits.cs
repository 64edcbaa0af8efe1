using System.Globalization;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Tests.Features.ApiKeys;

/// <summary>The limit fields of the Generate and Edit limits dialogs, the rotation's grace period, and what the tab shows.</summary>
public sealed partial class ApiKeysTabTests
{
    [Fact]
    public async Task Generate_refuses_a_bad_limit_or_expiry_in_the_dialog_then_lists_the_key_with_its_limit_and_expiry()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        var tab = RenderTab(owner);
        tab.WaitForAssertion(() => Assert.NotNull(tab.Find("[data-testid=api-keys-empty]")));
        Button(tab, "Generate API key").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input").Input("Production"));

        Radio("Per day").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-testid=limit-credits]").Input("0"));
        dialogs.Find("input[data-testid=limit-expiry]").Input(DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Button(dialogs, "Generate").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("The spend limit must be more than 0 credits.", dialogs.Markup, StringComparison.Ordinal));
        Assert.Contains("The expiry date must be in the future.", dialogs.Markup, StringComparison.Ordinal);
        Assert.Equal(0, await KeyCountAsync(owner));

        dialogs.Find("input[data-testid=limit-credits]").Input("5.5");
        dialogs.Find("input[data-testid=limit-expiry]").Input(DateTime.UtcNow.AddDays(9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Button(dialogs, "Generate").Click();
        dialogs.WaitForAssertion(() => Button(dialogs, "Done").Click());

        tab.WaitForAssertion(() => Assert.Equal("0.00 of 5.50 credits per day", tab.Find("[data-testid=api-key-limit] .mud-typography").TextContent));
        Assert.Equal("Expires in 9 days", tab.Find("[data-testid=api-key-expiry]").TextContent);
        Assert.Equal(1, await KeyCountAsync(owner));
    }

    [Fact]
    public async Task Edit_limits_shows_the_current_limits_refuses_bad_ones_and_saves_good_ones()
    {
        var (owner, _, tab) = await RenderWithKeyAsync("Production");
        Assert.Equal("No limit", tab.Find("[data-testid=api-key-limit]").TextContent.Trim());

        Button(tab, "Limits").Click();
        dialogs.WaitForAssertion(() => Radio("In total").Click());
        dialogs.WaitForAssertion(() => dialogs.Find("input[data-testid=limit-credits]").Input("0.0000001"));
        Button(dialogs, "Save limits").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("The spend limit can have at most six decimals.", dialogs.Markup, StringComparison.Ordinal));

        dialogs.Find("input[data-testid=limit-credits]").Input("12");
        Button(dialogs, "Save limits").Click();

        tab.WaitForAssertion(() => Assert.Equal("0.00 of 12.00 credits in total", tab.Find("[data-testid=api-key-limit] .mud-typography").TextContent));
        await using var scope = App.CreateScope();
        var key = await scope.ServiceProvider.GetRequiredService<AppDbContext>().ApiKeys.SingleAsync(k => k.WorkspaceId == owner.WorkspaceId);
        Assert.Equal((ApiKeyLimitPeriod.Total, 12_000_000L), (key.LimitPeriod, key.LimitMicros!.Value));
    }

    [Fact]
    public async Task Rotate_with_a_one_hour_grace_keeps_the_old_key_working_listed_and_revocable()
    {
        var (_, old, tab) = await RenderWithKeyAsync("Production");

        Button(tab, "Rotate").Click();
        dialogs.WaitForAssertion(() => Radio("After 1 hour").Click());
        dialogs.WaitForAssertion(() => Assert.Contains("It keeps working for 1 hour", dialogs.Find("[data-testid=confirm-key-text]").TextContent, StringComparison.Ordinal));
        Button(dialogs, "Rotate key").Click();
        dialogs.WaitForAssertion(() => Button(dialogs, "Done").Click());

        tab.WaitForAssertion(() => Assert.Equal(2, tab.FindAll("[data-testid=api-key-row]").Count));
        var oldRow = tab.FindAll("[data-testid=api-key-row]")[1];
        Assert.Equal("rotated", oldRow.GetAttribute("data-status"));
        Assert.Matches("^Still works for (59|60) minutes$", oldRow.QuerySelector("[data-testid=api-key-grace]")!.TextContent);
        Assert.Equal(ApiKeyResolutionStatus.Valid, await StatusAsync(old.Plaintext));

        Button(tab, "Revoke", index: 1).Click();
        dialogs.WaitForAssertion(() => Button(dialogs, "Revoke key").Click());
        tab.WaitForAssertion(() => Assert.Equal("revoked", tab.FindAll("[data-testid=api-key-row]")[1].GetAttribute("data-status")));
        Assert.Equal(ApiKeyResolutionStatus.Revoked, await StatusAsync(old.Plaintext));
    }

    private AngleSharp.Dom.IElement Radio(string label) =>
        dialogs.FindAll("label").Single(l => l.QuerySelector("input[type=radio]") is not null && l.TextContent.Trim() == label).QuerySelector("input")!;

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> component, string text, int index) =>
        component.FindAll("button").Where(b => b.TextContent.Trim() == text).ElementAt(index);

    private async Task<int> KeyCountAsync(Infrastructure.TestUser owner)
    {
        await using var scope = App.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().ApiKeys.CountAsync(k => k.WorkspaceId == owner.WorkspaceId);
    }
}
