using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Components.Layout;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Components;

public sealed class MainLayoutTests : AppTestContext
{
    [Fact]
    public async Task The_layout_shows_the_workspace_name_and_plan_and_follows_a_plan_change()
    {
        var user = await App.RegisterAsync(workspaceName: "Globex");
        UseAppServices(user, host => host.AddBilling()); // the TEST MODE banner asks Billing

        var layout = Render<MainLayout>(p => p.Add(l => l.Body, builder => builder.AddContent(0, "page body")));

        layout.WaitForAssertion(() => Assert.Equal("Globex", layout.Find("[data-testid=workspace-name]").TextContent));
        Assert.Equal("Trial", layout.Find("[data-testid=plan-chip]").TextContent.Trim());
        Assert.Contains("page body", layout.Markup, StringComparison.Ordinal);

        await Services.GetRequiredService<WorkspaceService>()
            .SetPlanAsync(user.WorkspaceId, WorkspacePlan.Pro, Actor.From(Actor.OperatorPrincipal));

        layout.WaitForAssertion(() => Assert.Equal("Pro", layout.Find("[data-testid=plan-chip]").TextContent.Trim()));
    }
}
