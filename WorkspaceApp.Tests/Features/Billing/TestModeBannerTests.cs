using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using WorkspaceApp.Components.Layout;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>The TEST MODE banner: on every page (the main layout) while a deploy outside Development takes no real payments.</summary>
public sealed class TestModeBannerTests : AppTestContext
{
    private async Task UseModeAsync(BillingProvider provider, string environment)
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        UseAppServices(user, host =>
        {
            host.AddBilling();
            host.Services.AddSingleton(new BillingMode(
                Options.Create(new BillingOptions { Provider = provider }), new HostingEnvironment { EnvironmentName = environment }));
        });
    }

    [Fact]
    public async Task The_main_layout_shows_the_banner_when_test_mode_runs_outside_development()
    {
        await UseModeAsync(BillingProvider.Test, Environments.Production);

        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        var banner = layout.Find("[data-testid=test-mode-banner]");
        Assert.Equal("status", banner.GetAttribute("role"));
        Assert.StartsWith("TEST MODE: payments are simulated", banner.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BillingProvider.Test, "Development")]
    [InlineData(BillingProvider.Stripe, "Production")]
    public async Task No_banner_in_development_or_with_stripe(BillingProvider provider, string environment)
    {
        await UseModeAsync(provider, environment);

        var layout = Render<MainLayout>(p => p.Add(l => l.Body, (RenderFragment)(b => b.AddContent(0, "page"))));

        Assert.Contains("page", layout.Markup, StringComparison.Ordinal);
        Assert.Empty(layout.FindAll("[data-testid=test-mode-banner]"));
    }
}
