using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

public static class ApiKeyTestData
{
    /// <summary>Generates a key through the real service as the owner; fails the test if it is refused.</summary>
    public static async Task<GeneratedApiKey> GenerateKeyAsync(this AppFactory app, TestUser owner, string name)
    {
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().GenerateAsync(owner.Principal, owner.WorkspaceId, name);
        return result.Value ?? throw new InvalidOperationException(result.Error);
    }
}
