using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api;

public class RateLimitAndUsageTests : IDisposable
{
    private readonly AppFactory app;

    public RateLimitAndUsageTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected RateLimitAndUsageTests(DatabaseProvider provider) => app = new AppFactory(provider).With("Api:RateLimitPermits", "3").With("Api:RateLimitWindowSeconds", "60");

    [Fact]
    public async Task Past_the_per_key_limit_requests_get_429_with_retry_after_and_other_keys_are_unaffected()
    {
        var first = await ApiWorkspace.CreateAsync(app, credits: 10);
        var second = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = first.Client(app);

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/v1/models")).StatusCode);
        var limited = await client.GetAsync("/v1/models");

        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After is set");
        await ApiAssert.ErrorAsync(limited, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
        using var other = second.Client(app);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/v1/models")).StatusCode);
    }

    [Fact]
    public async Task Each_request_records_its_usage_and_the_key_shows_when_it_was_last_used()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var client = workspace.Client(app);

        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client, "count these tokens", maxTokens: 2)).StatusCode);

        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var usage = await db.UsageRecords.SingleAsync();
        Assert.Equal(("echo-1", "succeeded", 2), (usage.Model, usage.Status, usage.OutputTokens));
        Assert.True(usage.InputTokens > 3);
        var ledger = await db.LedgerEntries.SingleAsync(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.AmountMicros < 0);
        Assert.Equal(-usage.CostMicros, ledger.AmountMicros);

        // Last-used times are written in the background every few seconds, not on every request.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        DateTime? lastUsed = null;
        while (lastUsed is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            lastUsed = await db.ApiKeys.AsNoTracking().Where(k => k.WorkspaceId == workspace.Owner.WorkspaceId).Select(k => k.LastUsedAtUtc).SingleAsync();
        }
        Assert.NotNull(lastUsed);
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
