using Bunit;
using Microsoft.AspNetCore.Components;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Components.Pages;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Components;

/// <summary>
/// The prerender (before the live connection) shows the page's heading and a skeleton and reads no data: the
/// interactive render reads it once, so nothing is queried twice.
/// </summary>
public sealed class PrerenderTests : AppTestContext
{
    private async Task PrerenderAsync()
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        UseAppServices(user, host => { host.AddBilling(); host.AddUsage(); });
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
    }

    [Fact]
    public async Task Billing_prerenders_its_heading_and_a_skeleton_without_reading_the_workspace()
    {
        await PrerenderAsync();

        var page = Render<BillingPage>();

        Assert.Equal("Billing", page.Find("h1").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=page-skeleton]"));
        Assert.Empty(page.FindAll("[data-testid=credit-balance]"));
    }

    [Fact]
    public async Task The_dashboard_prerenders_a_heading_that_becomes_the_workspace_name()
    {
        await PrerenderAsync();

        var page = Render<Home>();

        Assert.Equal("Dashboard", page.Find("h1").TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=page-skeleton]"));
    }
}
