using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>
/// The API authenticates from a cached resolution (key, workspace, plan): changes made through the app apply on the
/// very next request, and a change made behind the app's back (another process on SQLite) within Api:KeyCacheSeconds.
/// </summary>
public sealed class KeyCacheTests : IDisposable
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly ServicesAppFactory app;

    public KeyCacheTests() =>
        app = new ServicesAppFactory(DatabaseProvider.Sqlite, services => services.AddSingleton<TimeProvider>(clock));

    [Fact]
    public async Task A_revoke_behind_the_apps_back_is_served_from_the_cache_until_the_safety_ttl_ends()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);

        // Straight in the database, as `ops` in another process would on SQLite: nothing evicts.
        await using (var scope = app.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.ApiKeys.ExecuteUpdateAsync(k => k.SetProperty(x => x.Status, ApiKeyStatus.Revoked));
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);

        clock.Advance(TimeSpan.FromSeconds(30)); // Api:KeyCacheSeconds
        await ApiAssert.ErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "key_revoked");
    }

    [Fact]
    public async Task A_key_revoked_through_the_app_is_refused_on_the_very_next_request()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client)).StatusCode);

        var revoke = await app.OpsAsync("keys", "revoke", "--workspace", Id(workspace), "--name", "Test key");
        Assert.True(revoke.ExitCode == 0, revoke.Error);

        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client), HttpStatusCode.Unauthorized, "key_revoked");
        await ApiAssert.ErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Unauthorized, "key_revoked");
    }

    [Fact]
    public async Task A_plan_change_applies_on_the_very_next_request_both_ways()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);

        await SetPlanAsync(workspace, WorkspacePlan.Trial);
        await ApiAssert.ErrorAsync(await client.GetAsync("/v1/models"), HttpStatusCode.Forbidden, "plan_no_api_access");

        await SetPlanAsync(workspace, WorkspacePlan.Pro);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
    }

    [Fact]
    public async Task Metered_requests_keep_the_cached_resolution_and_a_new_key_works_at_once()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client)).StatusCode);
        var cache = app.Services.GetRequiredService<ApiKeyCache>();
        Assert.Equal(1, cache.Count);

        // The meter publishes each settled batch (pages refresh) without evicting the key.
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client)).StatusCode);
        Assert.Equal(1, cache.Count);

        // An unknown key is not remembered as unknown.
        var second = await ApiWorkspace.CreateKeyAsync(app, workspace.Owner.WorkspaceId, "Second");
        using var secondClient = workspace.Client(app, second);
        Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/v1/models")).StatusCode);
    }

    private async Task SetPlanAsync(ApiWorkspace workspace, WorkspacePlan plan)
    {
        await using var scope = app.CreateScope();
        await scope.ServiceProvider.GetRequiredService<WorkspaceService>()
            .SetPlanAsync(workspace.Owner.WorkspaceId, plan, Actor.From(Actor.OperatorPrincipal));
    }

    private static string Id(ApiWorkspace workspace) => workspace.Owner.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => app.Dispose();
}
