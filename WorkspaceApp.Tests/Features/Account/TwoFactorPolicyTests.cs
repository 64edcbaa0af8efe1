using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Account;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Account;

public sealed class TwoFactorPolicyTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task With_the_requirement_on_an_owner_without_two_factor_is_refused_billing_and_api_keys()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        Assert.Null(await SetRequiredAsync(owner, true));

        Assert.Equal(TwoFactorRequirement.Refused, (await GenerateKeyAsync(owner)).Error);
        Assert.Equal(TwoFactorRequirement.Refused, (await StartPurchaseAsync(owner)).Error);

        await EnableTwoFactorAsync(owner);
        Assert.True((await GenerateKeyAsync(owner)).Succeeded);
        Assert.True((await StartPurchaseAsync(owner)).Succeeded);
    }

    [Fact]
    public async Task Without_the_requirement_an_owner_without_two_factor_manages_as_before()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);

        Assert.True((await GenerateKeyAsync(owner)).Succeeded);
        Assert.Null(await SetRequiredAsync(owner, true));
        Assert.False((await GenerateKeyAsync(owner)).Succeeded);
    }

    [Fact]
    public async Task Only_owners_and_admins_change_it_and_a_member_keeps_the_plain_refusal()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        var admin = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);

        Assert.Equal(TwoFactorPolicy.NotAllowed, await SetRequiredAsync(member, true));
        Assert.Null(await SetRequiredAsync(admin, true));
        Assert.Equal(ApiKeyService.NotAllowed, (await GenerateKeyAsync(member)).Error);
        // Now that it is on, switching it off takes two-factor sign-in too: a stolen password cannot undo it.
        Assert.Equal(TwoFactorRequirement.Refused, await SetRequiredAsync(admin, false));
        await EnableTwoFactorAsync(admin);
        Assert.Null(await SetRequiredAsync(admin, false));
    }

    private async Task<string?> SetRequiredAsync(TestUser user, bool required)
    {
        await using var scope = app.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TwoFactorPolicy>().SetAsync(user.Principal, user.WorkspaceId, required);
    }

    private async Task<ApiKeyResult<GeneratedApiKey>> GenerateKeyAsync(TestUser user)
    {
        await using var scope = app.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<ApiKeyService>().GenerateAsync(user.Principal, user.WorkspaceId, $"Key {Guid.NewGuid():N}");
    }

    private async Task<BillingResult<CheckoutRedirect>> StartPurchaseAsync(TestUser user)
    {
        await using var scope = app.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<BillingService>().StartPurchaseAsync(user.Principal, user.WorkspaceId, 10, "http://localhost/");
    }

    private async Task EnableTwoFactorAsync(TestUser user)
    {
        await using var scope = app.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var appUser = (await users.FindByIdAsync(user.UserId))!;
        await users.ResetAuthenticatorKeyAsync(appUser);
        await users.SetTwoFactorEnabledAsync(appUser, true);
    }

    public void Dispose() => app.Dispose();
}
