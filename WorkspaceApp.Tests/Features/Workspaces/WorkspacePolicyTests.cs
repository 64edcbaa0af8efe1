using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Workspaces;

public sealed class WorkspacePolicyTests : IDisposable
{
    private readonly AppFactory app = new();

    [Theory]
    [InlineData(WorkspaceRole.Owner, true)]
    [InlineData(WorkspaceRole.Admin, true)]
    [InlineData(WorkspaceRole.Member, false)]
    public async Task Manage_billing_and_api_keys_need_owner_or_admin(WorkspaceRole role, bool allowed)
    {
        var owner = await app.RegisterAsync();
        var user = role == WorkspaceRole.Owner ? owner : await app.AddMemberAsync(owner.WorkspaceId, role);

        await using var scope = app.CreateScope();
        var access = scope.ServiceProvider.GetRequiredService<WorkspaceAccess>();
        Assert.Equal(allowed, await access.IsAllowedAsync(user.Principal, owner.WorkspaceId, WorkspacePolicies.ManageBilling));
        Assert.Equal(allowed, await access.IsAllowedAsync(user.Principal, owner.WorkspaceId, WorkspacePolicies.ManageApiKeys));
        Assert.True(await access.IsAllowedAsync(user.Principal, owner.WorkspaceId, WorkspacePolicies.View));
    }

    [Fact]
    public async Task A_user_has_no_rights_in_someone_elses_workspace()
    {
        var owner = await app.RegisterAsync();
        var stranger = await app.RegisterAsync();

        await using var scope = app.CreateScope();
        var access = scope.ServiceProvider.GetRequiredService<WorkspaceAccess>();
        Assert.False(await access.IsAllowedAsync(stranger.Principal, owner.WorkspaceId, WorkspacePolicies.View));
        Assert.False(await access.IsAllowedAsync(stranger.Principal, owner.WorkspaceId, WorkspacePolicies.ManageBilling));
        Assert.True(await access.IsAllowedAsync(Actor.OperatorPrincipal, owner.WorkspaceId, WorkspacePolicies.ManageBilling));
    }

    public void Dispose() => app.Dispose();
}
