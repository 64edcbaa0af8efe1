using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using WorkspaceApp.Components.Layout;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Features.ApiKeys;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Members;

/// <summary>A user in two workspaces: the chosen one is remembered, and an open page never shows the other one's data.</summary>
public sealed class WorkspaceSwitchingTests : AppTestContext
{
    [Fact]
    public async Task An_open_page_stays_on_its_workspace_after_a_switch_elsewhere_and_the_next_page_follows_the_choice()
    {
        var (user, alpha, beta) = await TwoWorkspacesAsync();
        UseAppServices(user, host => host.AddApiKeys());
        Render<MudPopoverProvider>();
        Assert.True((await Services.GetRequiredService<UserWorkspaces>().SwitchAsync(user.Principal, alpha.WorkspaceId)).Succeeded);
        var tab = Render<ApiKeysTab>();
        tab.WaitForAssertion(() => Assert.Equal(["Alpha key"], Names(tab)));

        // Another tab switches to Beta, then something changes in Alpha: this page reloads Alpha only.
        Assert.True((await Services.GetRequiredService<UserWorkspaces>().SwitchAsync(user.Principal, beta.WorkspaceId)).Succeeded);
        await Services.GetRequiredService<ApiKeyService>().GenerateAsync(alpha.Principal, alpha.WorkspaceId, "Alpha second");
        tab.WaitForAssertion(() => Assert.Equal(["Alpha second", "Alpha key"], Names(tab)));

        // A page opened now (a new circuit) is on Beta, and shows Beta's keys only.
        var next = new CurrentWorkspace(Services.GetRequiredService<AuthenticationStateProvider>(), Services.GetRequiredService<WorkspaceService>());
        var chosen = await next.GetAsync();
        Assert.Equal((beta.WorkspaceId, WorkspaceRole.Admin), (chosen!.Id, chosen.Role));
        var betaKeys = await Services.GetRequiredService<ApiKeyService>().ListAsync(user.Principal, chosen.Id);
        Assert.Equal(["Beta key"], betaKeys.Value!.Select(k => k.Name));
    }

    [Fact]
    public async Task The_switcher_lists_the_workspaces_with_the_role_switches_and_refuses_a_stranger()
    {
        var (user, _, _) = await TwoWorkspacesAsync();
        var stranger = await App.RegisterAsync(workspaceName: "Not yours");
        UseAppServices(user, host => host.AddBilling());
        var layout = Render<MainLayout>(p => p.Add(l => l.Body, b => b.AddContent(0, "page")));
        layout.WaitForAssertion(() => Assert.Equal("Beta", layout.Find("[data-testid=workspace-name]").TextContent));

        layout.Find("[data-testid=workspace-switcher] button").Click();
        layout.WaitForAssertion(() => Assert.Equal(4, layout.FindAll(".mud-menu-item").Count));
        var items = layout.FindAll(".mud-menu-item").Select(i => i.TextContent.Trim()).ToList();
        Assert.Equal(["Beta (Admin)", "Own (Owner)", "Alpha (Member)", "Create workspace"], items);
        layout.FindAll(".mud-menu-item")[1].Click();

        // The page loads again (a new circuit) on the chosen workspace.
        var navigation = (Bunit.TestDoubles.BunitNavigationManager)Services.GetRequiredService<NavigationManager>();
        layout.WaitForAssertion(() => Assert.True(Assert.Single(navigation.History).Options.ForceLoad));
        Assert.Equal(user.WorkspaceId, (await Services.GetRequiredService<WorkspaceService>().FindForUserAsync(user.UserId))!.Id);
        var refused = await Services.GetRequiredService<UserWorkspaces>().SwitchAsync(user.Principal, stranger.WorkspaceId);
        Assert.Equal(UserWorkspaces.NotAMember, refused.Error);
        Assert.Equal(user.WorkspaceId, (await Services.GetRequiredService<WorkspaceService>().FindForUserAsync(user.UserId))!.Id);
    }

    [Fact]
    public async Task Create_workspace_makes_a_trial_workspace_with_the_user_as_owner_and_chooses_it()
    {
        var user = await App.RegisterAsync(workspaceName: "First");
        UseAppServices(user);

        var created = await Services.GetRequiredService<UserWorkspaces>().CreateAsync(user.Principal, "  Second  ");
        var blank = await Services.GetRequiredService<UserWorkspaces>().CreateAsync(user.Principal, " ");

        var chosen = await Services.GetRequiredService<WorkspaceService>().FindForUserAsync(user.UserId);
        Assert.Equal((created.Value, "Second", WorkspacePlan.Trial, WorkspaceRole.Owner), (chosen!.Id, chosen.Name, chosen.Plan, chosen.Role));
        Assert.Equal("Workspace name is required.", blank.Error);
        Assert.Equal(2, (await Services.GetRequiredService<WorkspaceService>().ListForUserAsync(user.UserId)).Count);
    }

    /// <summary>A user who owns "Own" and is Admin of "Beta"; "Alpha" (Pro, with a key) where they are a Member.</summary>
    private async Task<(TestUser User, TestUser Alpha, TestUser Beta)> TwoWorkspacesAsync()
    {
        var alpha = await App.RegisterAsync(plan: WorkspacePlan.Pro, workspaceName: "Alpha");
        var beta = await App.RegisterAsync(plan: WorkspacePlan.Pro, workspaceName: "Beta");
        await App.GenerateKeyAsync(alpha, "Alpha key");
        await App.GenerateKeyAsync(beta, "Beta key");
        var user = await App.RegisterAsync(workspaceName: "Own");
        await using var scope = App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<WorkspaceApp.Data.AppDbContext>();
        db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = alpha.WorkspaceId, UserId = user.UserId, Role = WorkspaceRole.Member, JoinedAtUtc = DateTime.UtcNow.AddDays(1) });
        db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = beta.WorkspaceId, UserId = user.UserId, Role = WorkspaceRole.Admin, JoinedAtUtc = DateTime.UtcNow.AddYears(-1) });
        await db.SaveChangesAsync();
        return (user, alpha, beta);
    }

    private static List<string> Names(IRenderedComponent<ApiKeysTab> tab) =>
        tab.FindAll("[data-testid=api-key-name]").Select(n => n.TextContent).ToList();
}
