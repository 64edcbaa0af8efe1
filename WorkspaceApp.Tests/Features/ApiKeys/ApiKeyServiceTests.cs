using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

public class ApiKeyServiceTests : IDisposable
{
    private readonly AppFactory app;

    public ApiKeyServiceTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected ApiKeyServiceTests(DatabaseProvider provider) => app = new AppFactory(provider);
    private AsyncServiceScope? scope;

    // Created on first use, so a test can still change the configuration before.
    private ApiKeyService Keys => (scope ??= app.CreateScope()).ServiceProvider.GetRequiredService<ApiKeyService>();
    private ApiKeyResolver Resolver => app.Services.GetRequiredService<ApiKeyResolver>();

    [Fact]
    public async Task A_generated_key_resolves_to_its_workspace_and_is_listed_by_its_hint()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);

        var generated = await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "  Production  ");

        Assert.True(generated.Succeeded, generated.Error);
        var key = generated.Value!;
        Assert.Equal("Production", key.Name);
        Assert.Equal(ApiKeyFormat.Hint(key.Plaintext), key.Hint);
        var resolved = await Resolver.ResolveAsync(key.Plaintext);
        Assert.Equal(new ApiKeyResolution(ApiKeyResolutionStatus.Valid, key.Id, owner.WorkspaceId, "Production", WorkspacePlan.Pro), resolved);

        var row = Assert.Single((await Keys.ListAsync(owner.Principal, owner.WorkspaceId)).Value!);
        Assert.Equal((key.Id, "Production", key.Hint, ApiKeyStatus.Active, owner.Email), (row.Id, row.Name, row.Hint, row.Status, row.CreatedByName));
        Assert.Null(row.LastUsedAtUtc);
        Assert.Equal(["key.generated"], await ActionsAsync(owner.WorkspaceId, "key."));
    }

    [Fact]
    public async Task Rotating_leaves_exactly_one_active_key_with_the_name_and_the_old_key_resolves_revoked()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var old = (await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Production")).Value!;
        await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Staging");

        var rotated = await Keys.RotateAsync(owner.Principal, owner.WorkspaceId, old.Id);

        Assert.True(rotated.Succeeded, rotated.Error);
        var replacement = rotated.Value!;
        Assert.Equal("Production", replacement.Name);
        Assert.NotEqual(old.Plaintext, replacement.Plaintext);
        var rows = (await Keys.ListAsync(owner.Principal, owner.WorkspaceId)).Value!;
        var active = Assert.Single(rows, r => r.Name == "Production" && r.IsActive);
        Assert.Equal(replacement.Id, active.Id);
        var history = Assert.Single(rows, r => r.Id == old.Id);
        Assert.Equal((ApiKeyStatus.Rotated, owner.Email, replacement.Id), (history.Status, history.RevokedByName, history.ReplacedByKeyId));
        Assert.NotNull(history.RevokedAtUtc);
        // Active keys first, history after.
        Assert.Equal([true, true, false], rows.Select(r => r.IsActive));

        Assert.Equal(ApiKeyResolutionStatus.Revoked, (await Resolver.ResolveAsync(old.Plaintext)).Status);
        Assert.Equal(ApiKeyResolutionStatus.Valid, (await Resolver.ResolveAsync(replacement.Plaintext)).Status);
        Assert.Equal(["key.generated", "key.generated", "key.rotated"], await ActionsAsync(owner.WorkspaceId, "key."));

        var again = await Keys.RotateAsync(owner.Principal, owner.WorkspaceId, old.Id);
        Assert.Equal("The API key \"Production\" is already rotated.", again.Error);
    }

    [Fact]
    public async Task A_revoked_key_stops_resolving_at_once_and_cannot_be_revoked_twice()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var key = (await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "My app")).Value!;

        var revoked = await Keys.RevokeAsync(owner.Principal, owner.WorkspaceId, key.Id);

        Assert.True(revoked.Succeeded, revoked.Error);
        Assert.Equal(ApiKeyStatus.Revoked, revoked.Value!.Status);
        Assert.Equal(new ApiKeyResolution(ApiKeyResolutionStatus.Revoked, key.Id, owner.WorkspaceId, "My app", WorkspacePlan.Pro), await Resolver.ResolveAsync(key.Plaintext));
        Assert.Equal("The API key \"My app\" is already revoked.", (await Keys.RevokeAsync(owner.Principal, owner.WorkspaceId, key.Id)).Error);
        Assert.Equal(["key.generated", "key.revoked"], await ActionsAsync(owner.WorkspaceId, "key."));
        // The name is free again once the key is history.
        Assert.True((await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "My app")).Succeeded);
    }

    [Fact]
    public async Task Generating_past_the_plan_limit_is_refused()
    {
        app.With("ApiKeys:MaxActiveKeysPerWorkspace", "3");
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var first = (await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Key 1")).Value!;
        Assert.True((await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Key 2")).Succeeded);
        Assert.True((await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Key 3")).Succeeded);

        var refused = await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Key 4");

        Assert.Equal("This workspace has reached its limit of 3 active API keys. Revoke a key you no longer use first.", refused.Error);
        Assert.Null(refused.Value);
        Assert.Equal(3, await KeyCountAsync(owner.WorkspaceId));
        // Rotation keeps the count, so it is allowed at the limit; revoking makes room.
        Assert.True((await Keys.RotateAsync(owner.Principal, owner.WorkspaceId, first.Id)).Succeeded);
        var second = (await Keys.ListAsync(owner.Principal, owner.WorkspaceId)).Value!.First(r => r.Name == "Key 2");
        await Keys.RevokeAsync(owner.Principal, owner.WorkspaceId, second.Id);
        Assert.True((await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Key 4")).Succeeded);
    }

    [Fact]
    public async Task The_default_limit_is_25_active_keys()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        for (var i = 1; i <= 25; i++) Assert.True((await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, $"Key {i}")).Succeeded);

        Assert.Contains("limit of 25", (await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Key 26")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trial_workspace_can_neither_generate_nor_rotate_but_can_still_revoke()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var key = (await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Production")).Value!;
        await app.Services.GetRequiredService<WorkspaceService>().SetPlanAsync(owner.WorkspaceId, WorkspacePlan.Trial, Actor.From(Actor.OperatorPrincipal));

        Assert.Equal(ApiKeyService.NeedsPro, (await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Another")).Error);
        Assert.Equal(ApiKeyService.NeedsPro, (await Keys.RotateAsync(owner.Principal, owner.WorkspaceId, key.Id)).Error);
        Assert.Equal(1, await KeyCountAsync(owner.WorkspaceId));
        Assert.Equal(["key.generated"], await ActionsAsync(owner.WorkspaceId, "key."));

        Assert.True((await Keys.RevokeAsync(owner.Principal, owner.WorkspaceId, key.Id)).Succeeded);
    }

    [Fact]
    public async Task A_new_trial_workspace_is_refused_and_nothing_is_written()
    {
        var owner = await app.RegisterAsync();

        var refused = await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Production");

        Assert.Equal(ApiKeyService.NeedsPro, refused.Error);
        Assert.Equal(0, await KeyCountAsync(owner.WorkspaceId));
        Assert.Empty(await ActionsAsync(owner.WorkspaceId, "key."));
    }

    [Fact]
    public async Task A_member_can_list_but_not_generate_rotate_or_revoke_and_a_stranger_cannot_even_list()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var key = (await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Production")).Value!;
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        var admin = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);
        var stranger = await app.RegisterAsync(plan: WorkspacePlan.Pro);

        Assert.Equal(ApiKeyService.NotAllowed, (await Keys.GenerateAsync(member.Principal, owner.WorkspaceId, "Mine")).Error);
        Assert.Equal(ApiKeyService.NotAllowed, (await Keys.RotateAsync(member.Principal, owner.WorkspaceId, key.Id)).Error);
        Assert.Equal(ApiKeyService.NotAllowed, (await Keys.RevokeAsync(member.Principal, owner.WorkspaceId, key.Id)).Error);
        Assert.Equal(ApiKeyService.NotAllowed, (await Keys.RevokeAsync(stranger.Principal, owner.WorkspaceId, key.Id)).Error);
        Assert.Single((await Keys.ListAsync(member.Principal, owner.WorkspaceId)).Value!);
        Assert.False((await Keys.ListAsync(stranger.Principal, owner.WorkspaceId)).Succeeded);
        Assert.Equal(ApiKeyResolutionStatus.Valid, (await Resolver.ResolveAsync(key.Plaintext)).Status);

        // An admin may; a key id from another workspace is not found through this one.
        Assert.True((await Keys.GenerateAsync(admin.Principal, owner.WorkspaceId, "Admin's")).Succeeded);
        var othersKey = (await Keys.GenerateAsync(stranger.Principal, stranger.WorkspaceId, "Theirs")).Value!;
        Assert.Equal("This API key does not exist in this workspace.", (await Keys.RevokeAsync(owner.Principal, owner.WorkspaceId, othersKey.Id)).Error);
    }

    [Theory]
    [InlineData("Production", "An active key named \"Production\" already exists. Choose another name.")]
    [InlineData(" Production ", "An active key named \"Production\" already exists. Choose another name.")]
    [InlineData("", "Give the key a name, for example Production or My app.")]
    [InlineData("   ", "Give the key a name, for example Production or My app.")]
    [InlineData(null, "Give the key a name, for example Production or My app.")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345", "The name can have at most 64 characters.")]
    public async Task A_duplicate_or_invalid_name_is_refused_with_a_clear_message(string? name, string error)
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Production");

        Assert.Equal(error, (await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, name)).Error);
        Assert.Equal(1, await KeyCountAsync(owner.WorkspaceId));
        Assert.True((await Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, new string('x', 64))).Succeeded);
    }

    [Fact]
    public async Task Two_simultaneous_generations_with_one_name_create_one_key()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, "Production"))));

        Assert.Single(results, r => r.Succeeded);
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(ApiKeyNames.Taken("Production"), r.Error));
        Assert.Equal(1, await KeyCountAsync(owner.WorkspaceId));
    }

    [Fact]
    public async Task Simultaneous_generations_with_different_names_never_pass_the_limit()
    {
        app.With("ApiKeys:MaxActiveKeysPerWorkspace", "3");
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Keys.GenerateAsync(owner.Principal, owner.WorkspaceId, $"Key {i}"))));

        Assert.Equal(3, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Contains("limit of 3 active API keys", r.Error, StringComparison.Ordinal));
        Assert.Equal(3, await KeyCountAsync(owner.WorkspaceId));
    }

    private async Task<int> KeyCountAsync(int workspaceId)
    {
        await using var dbScope = app.CreateScope();
        return await dbScope.ServiceProvider.GetRequiredService<AppDbContext>().ApiKeys.CountAsync(k => k.WorkspaceId == workspaceId);
    }

    private async Task<List<string>> ActionsAsync(int workspaceId, string prefix)
    {
        await using var dbScope = app.CreateScope();
        return await dbScope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents
            .Where(e => e.WorkspaceId == workspaceId && e.Action.StartsWith(prefix))
            .OrderBy(e => e.Id).Select(e => e.Action).ToListAsync();
    }

    public void Dispose()
    {
        scope?.Dispose();
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
