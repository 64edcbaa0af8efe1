using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

public sealed class ApiKeyCacheTests : IDisposable
{
    private readonly AppFactory app = new();

    private ApiKeyCache Cache => app.Services.GetRequiredService<ApiKeyCache>();
    private WorkspaceChangeNotifier Notifier => app.Services.GetRequiredService<WorkspaceChangeNotifier>();

    private static ApiKeyResolution Valid(int workspaceId) => new(ApiKeyResolutionStatus.Valid, 1, workspaceId, "Key", WorkspacePlan.Pro);

    [Fact]
    public void The_hash_is_the_stored_hash()
    {
        var key = ApiKeyFormat.Generate();
        Assert.Equal(ApiKeyFormat.Hash(key), ApiKeyHash.Of(key).ToArray());
    }

    [Fact]
    public void A_change_of_the_workspace_evicts_its_keys_and_a_balance_change_does_not()
    {
        var (mine, other) = (ApiKeyHash.Of(ApiKeyFormat.Generate()), ApiKeyHash.Of(ApiKeyFormat.Generate()));
        Cache.Add(mine, Valid(7), Cache.Generation);
        Cache.Add(other, Valid(8), Cache.Generation);

        Notifier.PublishBalance(7);
        Assert.True(Cache.TryGet(mine, out _));

        Notifier.Publish(7);
        Assert.False(Cache.TryGet(mine, out _));
        Assert.True(Cache.TryGet(other, out var kept));
        Assert.Equal(Valid(8), kept);
    }

    [Fact]
    public void A_read_that_raced_an_eviction_is_not_kept()
    {
        var hash = ApiKeyHash.Of(ApiKeyFormat.Generate());
        var before = Cache.Generation; // the read began
        Notifier.Publish(99);          // a change committed meanwhile (of any workspace)

        Cache.Add(hash, Valid(7), before);

        Assert.False(Cache.TryGet(hash, out _));
        Cache.Add(hash, Valid(7), Cache.Generation);
        Assert.True(Cache.TryGet(hash, out _));
    }

    [Fact]
    public void While_changes_from_other_instances_may_not_arrive_the_cache_is_not_used()
    {
        var hash = ApiKeyHash.Of(ApiKeyFormat.Generate());
        Cache.Add(hash, Valid(7), Cache.Generation);

        Notifier.SetReceivesAllChanges(false); // the PostgreSQL relay lost its connection
        Assert.False(Cache.TryGet(hash, out _));
        Notifier.SetReceivesAllChanges(true);
        Assert.True(Cache.TryGet(hash, out _));
    }

    [Fact]
    public void Unknown_keys_are_not_cached()
    {
        var hash = ApiKeyHash.Of(ApiKeyFormat.Generate());
        Cache.Add(hash, new ApiKeyResolution(ApiKeyResolutionStatus.Unknown), Cache.Generation);
        Assert.False(Cache.TryGet(hash, out _));
    }

    [Theory]
    [InlineData(42, true, "42")]
    [InlineData(42, false, "b42")]
    public void The_relay_payload_says_whether_access_changed(int workspaceId, bool accessChanged, string payload)
    {
        Assert.Equal(payload, PostgresChangeRelay.Payload(workspaceId, accessChanged));
        Assert.Equal((workspaceId, accessChanged), PostgresChangeRelay.Parse(payload));
        Assert.Null(PostgresChangeRelay.Parse("x42"));
    }

    public void Dispose() => app.Dispose();
}
