using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api.Metering;

/// <summary>
/// A batch of holds alone commits without waiting for the disk; a batch with anything else (a settlement: a debit)
/// waits for it, as before.
/// </summary>
public class MeterDurabilityTests : IDisposable
{
    private readonly AppFactory app;

    public MeterDurabilityTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected MeterDurabilityTests(DatabaseProvider provider) => app = new AppFactory(provider);

    [Fact]
    public void Only_a_batch_of_holds_alone_may_skip_the_flush()
    {
        var usage = new UsageEntry(1, 1, "echo-1", 1, 1, "succeeded");
        var hold = new HoldOp(1, 1, 5);
        Assert.False(MeterOp.AnyMustBeDurable([hold, new HoldOp(2, 2, 7)]));
        Assert.True(MeterOp.AnyMustBeDurable([hold, new SettleOp(1, 5, 5, usage)]));
        Assert.True(MeterOp.AnyMustBeDurable([new ReleaseOp(1, 5, usage)]));
        Assert.True(MeterOp.AnyMustBeDurable([new RefusalOp(usage)]));
    }

    [Fact]
    public async Task The_writers_transaction_waits_for_the_disk_only_when_durable()
    {
        await using var sql = await MeterSql.OpenAsync(app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>(), "test");
        var seen = new List<bool>();
        foreach (var durable in new[] { false, true, false, true }) seen.Add(await FlushesAsync(sql, durable));
        Assert.Equal([false, true, false, true], seen);
    }

    // What the database was told for this transaction: SQLite synchronous FULL (2) or NORMAL (1), PostgreSQL synchronous_commit.
    private async Task<bool> FlushesAsync(MeterSql sql, bool durable)
    {
        await using var transaction = await sql.BeginAsync(durable);
        var flushes = await sql.ScalarAsync(app.Provider == DatabaseProvider.Sqlite
            ? "PRAGMA synchronous" // FULL is 2, NORMAL 1
            : "SELECT CASE current_setting('synchronous_commit') WHEN 'on' THEN 2 WHEN 'off' THEN 1 END");
        Assert.InRange(flushes ?? 0, 1, 2);
        await transaction.CommitAsync();
        return flushes == 2;
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
