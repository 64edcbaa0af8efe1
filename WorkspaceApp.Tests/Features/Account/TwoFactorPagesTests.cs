using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Features.Account;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Account;

/// <summary>The pages mirror the two-factor requirement that the services enforce.</summary>
public sealed class TwoFactorPagesTests : AppTestContext
{
    private const string SetUpPage = "Account/Manage/EnableAuthenticator?required=true";

    [Fact]
    public async Task Billing_sends_an_owner_without_two_factor_to_set_it_up_when_the_workspace_requires_it()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        await RequireAsync(owner);
        UseAppServices(owner, host => { host.AddBilling(); host.AddUsage(); });

        Render<BillingPage>();

        var navigation = Services.GetRequiredService<NavigationManager>();
        await WaitAsync(() => navigation.Uri.EndsWith(SetUpPage, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_member_reads_billing_as_before_and_nobody_is_sent_away_without_the_requirement()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        var member = await App.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        await RequireAsync(owner);
        UseAppServices(member, host => { host.AddBilling(); host.AddUsage(); });

        var page = Render<BillingPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=read-only-notice]")));
        Assert.DoesNotContain("EnableAuthenticator", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_general_tab_switch_turns_the_requirement_on_for_an_owner_and_is_read_only_for_a_member()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        UseAppServices(owner);
        var summary = (await Services.GetRequiredService<WorkspaceService>().FindForUserAsync(owner.UserId))!;

        var setting = Render<TwoFactorPolicySetting>(p => p.Add(s => s.Workspace, summary));
        setting.WaitForAssertion(() => Assert.False(setting.Find("input[type=checkbox]").HasAttribute("disabled")));
        await setting.InvokeAsync(() => setting.Find("input[type=checkbox]").Change(true));

        await WaitAsync(() => Services.GetRequiredService<TwoFactorPolicy>().IsRequiredAsync(owner.WorkspaceId));
        var asMember = Render<TwoFactorPolicySetting>(p => p.Add(s => s.Workspace, summary with { Role = WorkspaceRole.Member }));
        asMember.WaitForAssertion(() => Assert.True(asMember.Find("input[type=checkbox]").HasAttribute("disabled")));
    }

    private async Task RequireAsync(TestUser owner)
    {
        await using var scope = App.CreateScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<TwoFactorPolicy>().SetAsync(owner.Principal, owner.WorkspaceId, true));
    }

    private static Task<TimeSpan> WaitAsync(Func<bool> condition) => WaitAsync(() => Task.FromResult(condition()));

    private static Task<TimeSpan> WaitAsync(Func<Task<bool>> condition) =>
        Eventually.WaitAsync(condition, TimeSpan.FromSeconds(10), "the condition holds");
}
