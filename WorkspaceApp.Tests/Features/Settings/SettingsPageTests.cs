using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Settings;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Features.ApiKeys;
using WorkspaceApp.Tests.Features.Members;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Settings;

public sealed class SettingsPageTests : AppTestContext
{
    [Theory]
    [InlineData(null, "General")]
    [InlineData("general", "General")]
    [InlineData("members", "Members")]
    [InlineData("api-keys", "API Keys")]
    [InlineData("audit-log", "Audit log")]
    [InlineData("no-such-tab", "General")]
    public async Task The_address_selects_the_tab(string? slug, string activeTab)
    {
        var page = await RenderPageAsync(slug);

        page.WaitForAssertion(() => Assert.Equal(activeTab, page.Find(".mud-tab.mud-tab-active").TextContent.Trim()));
        Assert.Equal(activeTab == "API Keys", page.FindComponents<ApiKeysTab>().Count == 1);
        Assert.Equal(activeTab == "Audit log", page.FindComponents<AuditLogTab>().Count == 1);
        Assert.Equal(activeTab == "Members", page.FindComponents<WorkspaceApp.Features.Members.MembersTab>().Count == 1);
    }

    [Fact]
    public async Task The_general_tab_shows_the_workspace_plan_and_role_and_choosing_a_tab_changes_the_address()
    {
        var page = await RenderPageAsync(null);

        page.WaitForAssertion(() => Assert.Equal("Acme", page.Find("[data-testid=settings-workspace-name]").TextContent));
        Assert.Equal("Owner", page.Find("[data-testid=settings-role]").TextContent);
        Assert.Equal("Trial", page.Find("[data-testid=plan-chip]").TextContent.Trim());

        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "API Keys").Click();

        Assert.EndsWith("/settings/api-keys", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    private async Task<IRenderedComponent<SettingsPage>> RenderPageAsync(string? slug)
    {
        var owner = await App.RegisterAsync(workspaceName: "Acme");
        UseAppServices(owner, host => { host.AddApiKeys(); host.AddAuditLog(); host.AddTeam(App); });
        Render<MudPopoverProvider>();
        return Render<SettingsPage>(p => p.Add(s => s.Tab, slug));
    }
}
