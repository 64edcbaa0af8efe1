using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

/// <summary>Keys with limits, made and changed through the real service as their owner.</summary>
public static class KeyLimitData
{
    public static async Task<(int Id, string Key)> GenerateAsync(AppFactory app, TestUser owner, ApiKeyLimits limits, string name = "Limited")
    {
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().GenerateAsync(owner.Principal, owner.WorkspaceId, name, limits);
        Assert.True(result.Succeeded, result.Error);
        return (result.Value!.Id, result.Value.Plaintext);
    }

    public static async Task UpdateAsync(AppFactory app, TestUser owner, int keyId, ApiKeyLimits limits)
    {
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().UpdateLimitsAsync(owner.Principal, owner.WorkspaceId, keyId, limits);
        Assert.True(result.Succeeded, result.Error);
    }

    public static async Task<long> BalanceAsync(AppFactory app, int workspaceId)
    {
        await using var scope = app.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces.Where(w => w.Id == workspaceId).Select(w => w.BalanceMicros).SingleAsync();
    }
}
