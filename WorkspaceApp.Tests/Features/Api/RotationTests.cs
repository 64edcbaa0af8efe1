using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

public sealed class RotationTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task A_rotated_key_stops_on_the_very_next_request_and_its_replacement_works()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var oldClient = workspace.Client(app);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(oldClient)).StatusCode);

        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var keyId = await db.ApiKeys.Where(k => k.WorkspaceId == workspace.Owner.WorkspaceId).Select(k => k.Id).SingleAsync();
        var rotated = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .RotateAsync(workspace.Owner.Principal, workspace.Owner.WorkspaceId, keyId);
        Assert.Null(rotated.Error);

        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(oldClient), HttpStatusCode.Unauthorized, "key_revoked");
        using var newClient = workspace.Client(app, rotated.Value!.Plaintext);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(newClient)).StatusCode);
    }

    public void Dispose() => app.Dispose();
}
