using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

/// <summary>The balance is never overspent, however many requests run at once (a real database).</summary>
public class ConcurrencyTests : IDisposable
{
    // 1 credit per output token, nothing for input, max_tokens 1: every request holds exactly 1 credit and costs 1.
    private readonly AppFactory app;

    public ConcurrencyTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected ConcurrencyTests(DatabaseProvider provider) => app = new AppFactory(provider)
        .With("Pricing:Models:echo-1:InputPerMillion", "0")
        .With("Pricing:Models:echo-1:OutputPerMillion", "1000000");

    [Fact]
    public async Task Four_hundred_concurrent_requests_against_credits_for_one_hundred()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 100);
        using var client = workspace.Client(app);

        var responses = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            ApiWorkspace.ChatAsync(client, $"word{i % 10}", maxTokens: 1)));

        Assert.Equal(100, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(300, refused.Count);
        foreach (var response in refused) await ApiAssert.ErrorAsync(response, HttpStatusCode.PaymentRequired, "insufficient_credits");

        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var balance = await db.Workspaces.Where(w => w.Id == workspace.Owner.WorkspaceId).Select(w => new { w.BalanceMicros, w.HeldMicros }).SingleAsync();
        Assert.Equal(0, balance.BalanceMicros);
        Assert.Equal(0, balance.HeldMicros);
        Assert.Equal(0, await db.CreditHolds.CountAsync());
        Assert.Equal(100, await db.LedgerEntries.CountAsync(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage));
        Assert.Equal(400, await db.UsageRecords.CountAsync(u => u.WorkspaceId == workspace.Owner.WorkspaceId));

        var verify = await app.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
