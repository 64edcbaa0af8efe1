using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Upstreams;

/// <summary>Concurrent streams through an upstream that over-reports its usage never spend more than the balance.</summary>
public sealed class UpstreamConcurrencyTests : IAsyncLifetime
{
    private UpstreamApp gateway = null!;

    public async Task InitializeAsync() => gateway = await UpstreamApp.StartAsync();

    [Fact]
    public async Task A_hundred_concurrent_streams_against_a_balance_for_twenty_never_overspend()
    {
        // The upstream claims far more than any hold: each admitted stream is charged exactly its hold.
        gateway.Upstream.Script(gateway.Upstream.Stream(["A ", "streamed ", "answer."], promptTokens: 100_000, completionTokens: 100_000));
        var tokens = gateway.App.Services.GetRequiredService<TokenCounter>();
        var hold = UpstreamApp.Cost(3 + tokens.Count("user") + tokens.Count("Hello there") + 3, 100);
        var (client, workspace) = await gateway.ClientAsync(credits: 20m * hold / 1_000_000m);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            var response = await client.SendAsync(SseEvents.Request(UpstreamApp.Model, includeUsage: true));
            return (response, body: await response.Content.ReadAsStringAsync());
        }));

        var streamed = responses.Where(r => r.response.StatusCode == HttpStatusCode.OK).ToList();
        Assert.Equal(20, streamed.Count);
        Assert.All(streamed, r => Assert.Equal("[DONE]", SseEvents.Parse(r.body).Data[^1]));
        foreach (var (response, _) in responses.Except(streamed))
            await ApiAssert.ErrorAsync(response, HttpStatusCode.PaymentRequired, "insufficient_credits");

        await using var scope = gateway.App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.Workspaces.SingleAsync(w => w.Id == workspace.Owner.WorkspaceId);
        Assert.Equal((0L, 0L), (row.BalanceMicros, row.HeldMicros));
        var debits = await db.LedgerEntries.Where(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage).Select(e => e.AmountMicros).ToListAsync();
        Assert.Equal(Enumerable.Repeat(-hold, 20), debits);
        var verify = await gateway.App.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    public async Task DisposeAsync() => await gateway.DisposeAsync();
}
