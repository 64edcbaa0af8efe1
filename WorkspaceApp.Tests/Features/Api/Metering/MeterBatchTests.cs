using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api.Metering;

/// <summary>One refused statement fails only its own operation; the rest of its batch commits and is charged.</summary>
public class MeterBatchTests : IDisposable
{
    private readonly AppFactory app;

    public MeterBatchTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected MeterBatchTests(DatabaseProvider provider) => app = new AppFactory(provider);

    [Fact]
    public async Task A_refused_settlement_fails_alone_and_the_rest_of_its_batch_is_charged()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 100);
        var id = workspace.Owner.WorkspaceId;
        var meter = app.Services.GetRequiredService<MeterWriter>();
        var holds = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => meter.RunAsync(new HoldOp(id, 1, 2_000_000))));

        // A writer of its own, not started yet: all 50 settlements land in its first batch. Number 25 names no model,
        // which the NOT NULL constraint on UsageRecords.Model refuses on both providers.
        using var writer = ActivatorUtilities.CreateInstance<MeterWriter>(app.Services);
        var settles = holds.Select((hold, i) => writer.RunAsync(new SettleOp(hold!.Value, 2_000_000, 1_000_000,
            new UsageEntry(id, 1, i == 25 ? null! : "echo-1", 1, 1, "succeeded")))).ToList();
        await writer.StartAsync(CancellationToken.None);
        var outcomes = await Task.WhenAll(settles.Select(async s =>
        {
            try { return await s >= 0; }
            catch (Exception) { return false; }
        }));
        // The next batch first gives back the hold of the failed settlement.
        await writer.RunAsync(new ExpireHoldsOp(DateTime.MinValue));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(49, outcomes.Count(ok => ok));
        Assert.False(outcomes[25]);
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.Workspaces.Where(w => w.Id == id).Select(w => new { w.BalanceMicros, w.HeldMicros }).SingleAsync();
        Assert.Equal(51_000_000, row.BalanceMicros);
        Assert.Equal(0, row.HeldMicros);
        Assert.Equal(0, await db.CreditHolds.CountAsync());
        Assert.Equal(49, await db.LedgerEntries.CountAsync(e => e.WorkspaceId == id && e.Kind == LedgerEntryKind.Usage));
        var verify = await app.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public void Meter_operations_refuse_negative_amounts_so_a_negative_price_cannot_mint_credits()
    {
        var usage = new UsageEntry(1, 1, "echo-1", 1, 1, "succeeded");
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoldOp(1, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SettleOp(1, 1_000, -1, usage));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SettleOp(1, -1, 0, usage));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReleaseOp(1, -1, usage));
        Assert.NotNull(new SettleOp(1, 0, 0, usage)); // zero is a price (a free model)
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
