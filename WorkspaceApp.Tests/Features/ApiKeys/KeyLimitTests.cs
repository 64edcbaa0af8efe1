using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.ApiKeys;

/// <summary>A key's spend limit is enforced with holds, exactly, on the real app over real HTTP.</summary>
public class KeyLimitTests : IDisposable
{
    // 1 credit per output token, nothing for input, max_tokens 1: every request holds exactly 1 credit and costs 1.
    private readonly AppFactory app;

    public KeyLimitTests() : this(DatabaseProvider.Sqlite)
    {
    }

    protected KeyLimitTests(DatabaseProvider provider) => app = new AppFactory(provider)
        .With("Pricing:Models:echo-1:InputPerMillion", "0")
        .With("Pricing:Models:echo-1:OutputPerMillion", "1000000");

    [Fact]
    public async Task A_key_limit_is_never_overshot_under_200_concurrent_requests()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 1000);
        var (keyId, key) = await KeyLimitData.GenerateAsync(app, workspace.Owner, new ApiKeyLimits(ApiKeyLimitPeriod.Total, Money.FromCredits(50)));
        using var client = workspace.Client(app, key);

        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => ApiWorkspace.ChatAsync(client, $"word{i % 10}", maxTokens: 1)));

        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            await ApiAssert.ErrorAsync(refused, HttpStatusCode.PaymentRequired, "key_limit_exceeded");
        }
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.ApiKeys.SingleAsync(k => k.Id == keyId);
        Assert.Equal(Money.FromCredits(50), stored.SpentTotalMicros);
        Assert.Equal(0, stored.LimitHeldMicros);
        var balance = await db.Workspaces.Where(w => w.Id == workspace.Owner.WorkspaceId).Select(w => new { w.BalanceMicros, w.HeldMicros }).SingleAsync();
        Assert.Equal(Money.FromCredits(950), balance.BalanceMicros);
        Assert.Equal(0, balance.HeldMicros);
        Assert.Equal(150, await db.UsageRecords.CountAsync(u => u.ApiKeyId == keyId && u.Status == "key_limit_exceeded"));
        var verify = await app.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task A_key_at_its_limit_leaves_the_balance_and_the_other_keys_alone()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        var (_, limited) = await KeyLimitData.GenerateAsync(app, workspace.Owner, new ApiKeyLimits(ApiKeyLimitPeriod.Month, Money.FromCredits(2)));
        using var limitedClient = workspace.Client(app, limited);
        using var otherClient = workspace.Client(app);

        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(limitedClient, maxTokens: 1)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(limitedClient, maxTokens: 1)).StatusCode);
        var refused = await ApiWorkspace.ChatAsync(limitedClient, maxTokens: 1);
        await ApiAssert.ErrorAsync(refused, HttpStatusCode.PaymentRequired, "key_limit_exceeded");
        Assert.Contains("2.00 credits per month", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(8_000_000, await KeyLimitData.BalanceAsync(app, workspace.Owner.WorkspaceId));

        var other = await ApiWorkspace.ChatAsync(otherClient, maxTokens: 1);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("7.000000", other.Headers.GetValues("X-Credits-Remaining").Single());
    }

    [Fact]
    public async Task Raising_the_limit_lets_the_key_spend_again_and_lowering_it_counts_the_spend_so_far()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        var (keyId, key) = await KeyLimitData.GenerateAsync(app, workspace.Owner, new ApiKeyLimits(ApiKeyLimitPeriod.Day, Money.FromCredits(1)));
        using var client = workspace.Client(app, key);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client, maxTokens: 1)).StatusCode);
        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client, maxTokens: 1), HttpStatusCode.PaymentRequired, "key_limit_exceeded");

        await KeyLimitData.UpdateAsync(app, workspace.Owner, keyId, new ApiKeyLimits(ApiKeyLimitPeriod.Total, Money.FromCredits(2)));
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client, maxTokens: 1)).StatusCode);
        await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client, maxTokens: 1), HttpStatusCode.PaymentRequired, "key_limit_exceeded");

        await KeyLimitData.UpdateAsync(app, workspace.Owner, keyId, ApiKeyLimits.None);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client, maxTokens: 1)).StatusCode);
    }

    [Fact]
    public async Task A_hold_the_workspace_cannot_cover_gives_the_keys_share_back_and_is_not_a_key_refusal()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 3);
        var id = workspace.Owner.WorkspaceId;
        var (keyId, _) = await KeyLimitData.GenerateAsync(app, workspace.Owner, new ApiKeyLimits(ApiKeyLimitPeriod.Total, Money.FromCredits(10)));
        var meter = app.Services.GetRequiredService<MeterWriter>();

        var tooMuch = new HoldOp(id, keyId, Money.FromCredits(5)); // within the key's limit, beyond the balance
        Assert.Null(await meter.RunAsync(tooMuch));
        Assert.False(tooMuch.RefusedByKeyLimit);
        var overLimit = new HoldOp(id, keyId, Money.FromCredits(11));
        Assert.Null(await meter.RunAsync(overLimit));
        Assert.True(overLimit.RefusedByKeyLimit);

        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(0, (await db.ApiKeys.SingleAsync(k => k.Id == keyId)).LimitHeldMicros);
        Assert.Equal(0, await db.Workspaces.Where(w => w.Id == id).Select(w => w.HeldMicros).SingleAsync());
    }

    [Fact]
    public async Task A_settlement_whose_hold_expired_charges_only_the_credits_still_free()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        var id = workspace.Owner.WorkspaceId;
        var (keyId, _) = await KeyLimitData.GenerateAsync(app, workspace.Owner, new ApiKeyLimits(ApiKeyLimitPeriod.Total, Money.FromCredits(100)));
        var meter = app.Services.GetRequiredService<MeterWriter>();
        var usage = new UsageEntry(id, keyId, "echo-1", 1, 3, "succeeded");

        var expired = await meter.RunAsync(new HoldOp(id, keyId, Money.FromCredits(4)));
        Assert.Equal(1, await meter.RunAsync(new ExpireHoldsOp(DateTime.MaxValue))); // the request outlived its hold
        var other = await meter.RunAsync(new HoldOp(id, keyId, Money.FromCredits(8))); // takes 8 of the 10 freed

        var settled = await meter.RunAsync(new SettleOp(expired!.Value, Money.FromCredits(4), Money.FromCredits(3), usage));
        Assert.Equal(Money.FromCredits(2), settled.ChargedMicros); // 3 owed, only 2 free
        Assert.Equal(Money.FromCredits(8), settled.BalanceMicros);
        var normal = await meter.RunAsync(new SettleOp(other!.Value, Money.FromCredits(8), Money.FromCredits(1), usage));
        Assert.Equal(Money.FromCredits(1), normal.ChargedMicros);
        Assert.Equal(Money.FromCredits(7), normal.BalanceMicros);

        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var key = await db.ApiKeys.SingleAsync(k => k.Id == keyId);
        Assert.Equal(Money.FromCredits(3), key.SpentTotalMicros);
        Assert.Equal(0, key.LimitHeldMicros);
        Assert.Equal(2, await db.UsageRecords.CountAsync(u => u.ApiKeyId == keyId));
        var verify = await app.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
