using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>
/// The real app (logs captured) with one upstream, "fake", serving "gpt-test" as "upstream-model-7b" from a
/// <see cref="FakeUpstream"/>, priced 3 credits per million input and 7 per million output tokens.
/// </summary>
public sealed class UpstreamApp : IAsyncDisposable
{
    public const string Model = "gpt-test";
    public const string UpstreamModelId = "upstream-model-7b";

    public FakeUpstream Upstream { get; }
    public ServicesAppFactory App { get; }

    private UpstreamApp(FakeUpstream upstream, int timeoutSeconds)
    {
        Upstream = upstream;
        App = new ServicesAppFactory(DatabaseProvider.Sqlite, _ => { });
        App.With("Upstreams:fake:BaseUrl", upstream.BaseUrl)
            .With("Upstreams:fake:ApiKey", FakeUpstream.ApiKey)
            .With("Upstreams:fake:TimeoutSeconds", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With($"Upstreams:fake:Models:{Model}", UpstreamModelId)
            .With($"Pricing:Models:{Model}:InputPerMillion", "3")
            .With($"Pricing:Models:{Model}:OutputPerMillion", "7");
    }

    public static async Task<UpstreamApp> StartAsync(int timeoutSeconds = 30) => new(await FakeUpstream.StartAsync(), timeoutSeconds);

    /// <summary>Micro-credits for a request to gpt-test: 3 per input token, 7 per output token.</summary>
    public static long Cost(int inputTokens, int outputTokens) => 3L * inputTokens + 7L * outputTokens;

    public async Task<(HttpClient Client, ApiWorkspace Workspace)> ClientAsync(decimal credits = 10)
    {
        var workspace = await ApiWorkspace.CreateAsync(App, credits: credits);
        return (workspace.Client(App), workspace);
    }

    public Task<HttpResponseMessage> ChatAsync(HttpClient client, int maxTokens = 100, CancellationToken cancel = default) =>
        client.PostAsJsonAsync("/v1/chat/completions", new { model = Model, max_tokens = maxTokens, messages = new[] { new { role = "user", content = "Hello there" } } }, cancel);

    public async Task<long> BalanceAsync(ApiWorkspace workspace)
    {
        await using var scope = App.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces.Where(w => w.Id == workspace.Owner.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync();
    }

    public async Task<int> UsageCountAsync(ApiWorkspace workspace)
    {
        await using var scope = App.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().UsageRecords.CountAsync(u => u.WorkspaceId == workspace.Owner.WorkspaceId);
    }

    /// <summary>The workspace's balance is untouched, nothing is held, and no usage was debited.</summary>
    public async Task AssertNothingChargedAsync(ApiWorkspace workspace, long balanceMicros)
    {
        await using var scope = App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.Workspaces.SingleAsync(w => w.Id == workspace.Owner.WorkspaceId);
        Assert.Equal(balanceMicros, row.BalanceMicros);
        Assert.Equal(0, row.HeldMicros);
        Assert.Equal(0, await db.CreditHolds.CountAsync(h => h.WorkspaceId == workspace.Owner.WorkspaceId));
        Assert.False(await db.LedgerEntries.AnyAsync(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage));
        Assert.Equal("upstream_failed", (await db.UsageRecords.SingleAsync(u => u.WorkspaceId == workspace.Owner.WorkspaceId)).Status);
    }

    public async ValueTask DisposeAsync()
    {
        App.Dispose();
        await Upstream.DisposeAsync();
    }
}
