using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Usage;

public sealed class UsagePageTests : AppTestContext
{
    private static readonly DateTime Today = DateTime.UtcNow.Date;

    private async Task<TestUser> ProWorkspaceAsync()
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        UseAppServices(user, host => { host.AddBilling(); host.AddUsage(); });
        return user;
    }

    private static string Text(IRenderedComponent<UsagePage> page, string testId) => page.Find($"[data-testid={testId}]").TextContent.Trim();

    [Fact]
    public async Task Without_usage_the_page_says_so_with_no_chart_and_no_burn_rate()
    {
        await ProWorkspaceAsync();

        var page = Render<UsagePage>();

        page.WaitForAssertion(() => Assert.Equal("No API requests in this range.", Text(page, "usage-empty")));
        Assert.Empty(page.FindAll("[data-testid=usage-chart]"));
        Assert.Empty(page.FindAll("[data-testid=burn-rate]"));
        Assert.Equal("0.000000", Text(page, "usage-total-spend"));
        Assert.StartsWith("Last 30 days", Text(page, "usage-range-label"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_range_in_the_url_chooses_the_records_and_choosing_another_changes_the_url()
    {
        var user = await ProWorkspaceAsync();
        await App.AddUsageAsync(user.WorkspaceId, (Today.AddHours(1), "succeeded", 250_000), (Today.AddDays(-20), "succeeded", 1_000_000));
        var custom = Today.AddDays(-21).ToString("yyyy-MM-dd");

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("usage?range=7d");

        var page = Render<UsagePage>();
        page.WaitForAssertion(() => Assert.Equal("0.250000", Text(page, "usage-total-spend")));
        Assert.Equal("1", Text(page, "usage-total-requests"));
        Assert.NotNull(page.Find("[data-testid=usage-chart] svg"));

        // Choosing a range puts it in the URL, and the page follows the URL.
        await page.InvokeAsync(() => page.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync("30d"));
        Assert.EndsWith("/usage?range=30d", navigation.Uri, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal("1.250000", Text(page, "usage-total-spend")));

        var to = Today.AddDays(-19).ToString("yyyy-MM-dd");
        navigation.NavigateTo($"usage?from={custom}&to={to}");
        page.WaitForAssertion(() => Assert.Equal("1.000000", Text(page, "usage-total-spend")));
        Assert.StartsWith("Custom dates", Text(page, "usage-range-label"), StringComparison.Ordinal);
        Assert.Equal($"usage/export.csv?from={custom}&to={to}", page.Find("[data-testid=usage-export]").GetAttribute("href"));
    }

    [Fact]
    public async Task A_bad_range_in_the_url_is_explained_and_the_last_30_days_shown()
    {
        await ProWorkspaceAsync();
        Services.GetRequiredService<NavigationManager>().NavigateTo("usage?from=2026-05-01&to=2026-04-01");

        var page = Render<UsagePage>();

        page.WaitForAssertion(() => Assert.Contains("from must not be after to.", Text(page, "usage-range-error"), StringComparison.Ordinal));
        Assert.StartsWith("Last 30 days", Text(page, "usage-range-label"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task New_usage_appears_without_a_reload_with_the_burn_rate()
    {
        var user = await ProWorkspaceAsync();
        var page = Render<UsagePage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=usage-empty]")));

        await App.AddUsageAsync(user.WorkspaceId, (DateTime.UtcNow, "succeeded", 7_000_000), (DateTime.UtcNow, "insufficient_credits", 0));
        // What the meter does after committing a batch.
        Services.GetRequiredService<WorkspaceChangeNotifier>().Publish(user.WorkspaceId);

        page.WaitForAssertion(() => Assert.Equal("7.000000", Text(page, "usage-total-spend")));
        Assert.Equal(("1", "1"), (Text(page, "usage-total-requests"), Text(page, "usage-total-refused")));
        Assert.Contains("1.00 credits/day", Text(page, "burn-rate"), StringComparison.Ordinal);
        Assert.Equal("Key 0", page.Find("[data-testid=usage-by-key] [data-testid=usage-row-name]").TextContent.Trim());
    }

    [Fact]
    public async Task Billing_shows_how_long_the_balance_lasts_at_the_last_weeks_pace()
    {
        var user = await ProWorkspaceAsync();
        await using (var scope = App.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<LedgerService>()
                .PostAsync(user.WorkspaceId, LedgerEntryKind.Adjustment, Money.FromCredits(30), "grant", WorkspaceApp.Features.Audit.Actor.From(WorkspaceApp.Features.Audit.Actor.OperatorPrincipal));
        }
        await App.AddUsageAsync(user.WorkspaceId, (DateTime.UtcNow.AddDays(-2), "succeeded", Money.FromCredits(14)));

        var page = Render<BillingPage>();

        page.WaitForAssertion(() => Assert.Equal(
            "At the last 7 days' average spend (2.00 credits/day), your balance lasts about 15 days.",
            page.Find("[data-testid=burn-rate] .mud-alert-message").TextContent.Trim()));
    }
}
