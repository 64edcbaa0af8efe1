using WorkspaceApp.Features.ApiKeys;

namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// Sets credits aside before a request runs: one conditional UPDATE admits it only while the balance not yet held
/// covers it, so concurrent requests can never together spend more than the balance. Result: the hold id, or null.
/// </summary>
public sealed class HoldOp(int workspaceId, int apiKeyId, long amountMicros) : MeterOp<long?>
{
    private readonly long amountMicros = NotNegative(amountMicros);

    public override int? WorkspaceId => null; // the balance does not change, nothing to refresh

    internal override HeldCredits? Held => Result is { } id ? new(id, workspaceId, amountMicros) : null;

    /// <summary>True when the key's own spend limit refused the hold (the workspace was not asked).</summary>
    public bool RefusedByKeyLimit { get; private set; }

    // A hold lost to a power cut frees credits nothing was charged against: the process died with its request, which
    // was never answered, and at restart the holds it left are released anyway. Its settlement is durable, and flushing
    // the log (SQLite's WAL, PostgreSQL's WAL) flushes everything written before it, this hold included.
    internal override bool MustBeDurable => false;

    internal override async Task ApplyAsync(MeterSql sql, DateTime nowUtc)
    {
        RefusedByKeyLimit = !await KeyLimitSql.TryHoldAsync(sql, apiKeyId, amountMicros, nowUtc);
        if (RefusedByKeyLimit)
        {
            Result = null;
            return;
        }
        var admitted = await sql.ExecuteAsync(
            "UPDATE \"Workspaces\" SET \"HeldMicros\" = \"HeldMicros\" + @p0 WHERE \"Id\" = @p1 AND \"BalanceMicros\" - \"HeldMicros\" >= @p0",
            amountMicros, workspaceId);
        if (admitted == 0) await KeyLimitSql.ReleaseAsync(sql, apiKeyId, amountMicros); // the key's hold goes with it
        Result = admitted == 0 ? null : await sql.ScalarAsync(
            "INSERT INTO \"CreditHolds\" (\"WorkspaceId\", \"ApiKeyId\", \"AmountMicros\", \"CreatedAtUtc\", \"InstanceId\") VALUES (@p0, @p1, @p2, @p3, @p4) RETURNING \"Id\"",
            workspaceId, apiKeyId, amountMicros, nowUtc, sql.InstanceId);
    }

    // The same in one statement (PostgreSQL): the key's conditional UPDATE, the workspace's (admitted only after the
    // key's, or for a key that does not exist) and the hold's row. Referencing k from w makes the key's row locked
    // before the workspace's, the order every operation keeps. Answers the hold id (null when refused), whether the
    // key's counter took the hold and whether the key exists.
    private static readonly string OneStatementSql =
        "WITH k AS (" + KeyLimitSql.HoldUpdate(amount: "@p0", keyId: "@p1", day: "@p2", month: "@p3") + " RETURNING 1), " +
        "w AS (UPDATE \"Workspaces\" SET \"HeldMicros\" = \"HeldMicros\" + @p0 WHERE \"Id\" = @p4 AND \"BalanceMicros\" - \"HeldMicros\" >= @p0 " +
        "AND (EXISTS (SELECT 1 FROM k) OR NOT EXISTS (SELECT 1 FROM \"ApiKeys\" WHERE \"Id\" = @p1)) RETURNING 1), " +
        "h AS (INSERT INTO \"CreditHolds\" (\"WorkspaceId\", \"ApiKeyId\", \"AmountMicros\", \"CreatedAtUtc\", \"InstanceId\") " +
        "SELECT @p4, @p1, @p0, @p5, @p6 FROM w RETURNING \"Id\") " +
        "SELECT (SELECT \"Id\" FROM h), (SELECT count(*) FROM k), EXISTS (SELECT 1 FROM \"ApiKeys\" WHERE \"Id\" = @p1)";

    internal override OneStatement AsOneStatement(DateTime nowUtc, string instanceId)
    {
        var (day, month) = KeyLimitRules.WindowStarts(nowUtc);
        return new(OneStatementSql, [amountMicros, apiKeyId, day, month, workspaceId, nowUtc, instanceId], FinishAsync);
    }

    private async Task FinishAsync(object?[]? row, MeterSql sql, DateTime nowUtc)
    {
        var holdId = row![0] is long id ? id : (long?)null;
        var keyHeld = Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture) == 1;
        // The workspace refused after the key took the hold: the key gives it back (as ApplyAsync does).
        if (holdId is null && keyHeld) await KeyLimitSql.ReleaseAsync(sql, apiKeyId, amountMicros);
        RefusedByKeyLimit = holdId is null && !keyHeld && row[2] is true;
        Result = holdId;
    }
}

/// <summary>
/// Ends a request: deletes its hold, debits the real cost (never more than was held), appends the usage ledger entry
/// and the usage record, all in the batch transaction. Result: the balance afterwards and what was debited.
/// </summary>
public sealed class SettleOp(long holdId, long heldMicros, long costMicros, UsageEntry usage) : MeterOp<SettleResult>
{
    private readonly long heldMicros = NotNegative(heldMicros);
    private readonly long costMicros = NotNegative(costMicros);

    public override int? WorkspaceId => usage.WorkspaceId;

    internal override HeldCredits? Held => new(holdId, usage.WorkspaceId, heldMicros);

    internal override async Task ApplyAsync(MeterSql sql, DateTime nowUtc)
    {
        var cost = Math.Min(costMicros, heldMicros);
        var holdReleased = await sql.ExecuteAsync("DELETE FROM \"CreditHolds\" WHERE \"Id\" = @p0", holdId) == 1;
        if (!holdReleased)
        {
            // The hold expired (the request outlived Api:HoldTimeoutSeconds): charge only what is still free.
            var free = await sql.ScalarAsync("SELECT \"BalanceMicros\" - \"HeldMicros\" FROM \"Workspaces\" WHERE \"Id\" = @p0", usage.WorkspaceId) ?? 0;
            cost = Math.Clamp(free, 0, cost);
        }
        // The key's row before the workspace's, as in every operation: two instances' batches never wait on each other in a circle.
        await KeyLimitSql.SettleAsync(sql, usage.ApiKeyId, holdReleased ? heldMicros : 0, cost, nowUtc);
        var balance = await sql.ScalarAsync(
            "UPDATE \"Workspaces\" SET \"HeldMicros\" = \"HeldMicros\" - @p0, \"BalanceMicros\" = \"BalanceMicros\" - @p1 WHERE \"Id\" = @p2 RETURNING \"BalanceMicros\"",
            holdReleased ? heldMicros : 0, cost, usage.WorkspaceId) ?? 0;
        Result = new SettleResult(balance, cost);
        if (cost > 0)
        {
            await sql.ExecuteAsync(
                "INSERT INTO \"LedgerEntries\" (\"WorkspaceId\", \"Kind\", \"AmountMicros\", \"BalanceAfterMicros\", \"Description\", \"AtUtc\") VALUES (@p0, @p1, @p2, @p3, @p4, @p5)",
                usage.WorkspaceId, (int)Billing.LedgerEntryKind.Usage, -cost, balance, Description(usage), nowUtc);
        }
        await UsageRecords.InsertAsync(sql, usage, cost, nowUtc);
    }

    // The same in one statement (PostgreSQL), for the usual case of a hold still there: everything is conditional on
    // deleting it, so when it expired nothing happens, no row comes back and ApplyAsync settles it the long way.
    // The key's UPDATE is referenced by the workspace's, so the key's row is locked first, as everywhere.
    private static readonly string OneStatementSql =
        "WITH h AS (DELETE FROM \"CreditHolds\" WHERE \"Id\" = @p0 RETURNING 1), " +
        "k AS (" + KeyLimitSql.SettleUpdate(released: "@p1", cost: "@p2", day: "@p3", month: "@p4", keyId: "@p5") + " AND EXISTS (SELECT 1 FROM h) RETURNING 1), " +
        "w AS (UPDATE \"Workspaces\" SET \"HeldMicros\" = \"HeldMicros\" - @p1, \"BalanceMicros\" = \"BalanceMicros\" - @p2 " +
        "WHERE \"Id\" = @p6 AND EXISTS (SELECT 1 FROM h) AND (SELECT count(*) FROM k) >= 0 RETURNING \"BalanceMicros\"), " +
        "l AS (INSERT INTO \"LedgerEntries\" (\"WorkspaceId\", \"Kind\", \"AmountMicros\", \"BalanceAfterMicros\", \"Description\", \"AtUtc\") " +
        "SELECT @p6, @p7, -@p2, \"BalanceMicros\", @p8, @p9 FROM w WHERE @p2 > 0), " +
        "u AS (INSERT INTO \"UsageRecords\" (\"WorkspaceId\", \"ApiKeyId\", \"Model\", \"InputTokens\", \"OutputTokens\", \"CostMicros\", \"Status\", \"AtUtc\") " +
        "SELECT @p6, @p5, @p10, @p11, @p12, @p2, @p13, @p9 FROM w) " +
        "SELECT \"BalanceMicros\" FROM w";

    internal override OneStatement AsOneStatement(DateTime nowUtc, string instanceId)
    {
        var (day, month) = KeyLimitRules.WindowStarts(nowUtc);
        var cost = Math.Min(costMicros, heldMicros);
        return new(OneStatementSql,
            [holdId, heldMicros, cost, day, month, usage.ApiKeyId, usage.WorkspaceId, (int)Billing.LedgerEntryKind.Usage, Description(usage), nowUtc,
             usage.Model, usage.InputTokens, usage.OutputTokens, usage.Status],
            async (row, sql, now) =>
            {
                if (row is null) await ApplyAsync(sql, now); // the hold had expired
                else Result = new SettleResult(Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture), cost);
            });
    }

    private static string Description(UsageEntry usage) =>
        $"API usage: {usage.Model}, {usage.InputTokens} input + {usage.OutputTokens} output tokens";
}

/// <summary>The balance after a settlement and the amount its usage ledger entry debited (0: no entry).</summary>
public sealed record SettleResult(long BalanceMicros, long ChargedMicros);

/// <summary>Gives a hold back untouched (the model failed or the client went away) and records the attempt.</summary>
public sealed class ReleaseOp(long holdId, long heldMicros, UsageEntry usage) : MeterOp<bool>
{
    private readonly long heldMicros = NotNegative(heldMicros);

    public override int? WorkspaceId => null;

    internal override HeldCredits? Held => new(holdId, usage.WorkspaceId, heldMicros);

    internal override async Task ApplyAsync(MeterSql sql, DateTime nowUtc)
    {
        Result = await HoldRelease.ApplyAsync(sql, holdId, usage.WorkspaceId, heldMicros);
        await UsageRecords.InsertAsync(sql, usage, 0, nowUtc);
    }
}

/// <summary>Records a request that was refused before it held anything (not enough credits).</summary>
public sealed class RefusalOp(UsageEntry usage) : MeterOp<bool>
{
    public override int? WorkspaceId => null;

    internal override async Task ApplyAsync(MeterSql sql, DateTime nowUtc)
    {
        await UsageRecords.InsertAsync(sql, usage, 0, nowUtc);
        Result = true;
    }
}

/// <summary>
/// Releases this instance's holds created before a cutoff: holds of its requests that can no longer settle. Holds
/// of other instances are theirs (see <see cref="ReleaseDeadInstancesOp"/>).
/// </summary>
public sealed class ExpireHoldsOp(DateTime cutoffUtc) : MeterOp<int>
{
    public override int? WorkspaceId => null;

    internal override async Task ApplyAsync(MeterSql sql, DateTime nowUtc) =>
        Result = await HoldRelease.AllAsync(sql, await sql.HoldsWhereAsync("\"InstanceId\" = @p0 AND \"CreatedAtUtc\" < @p1", sql.InstanceId, cutoffUtc));
}

/// <summary>Gives back the holds of requests whose operation failed (their callers were answered with an error).</summary>
internal sealed class ReleaseHoldsOp(IReadOnlyList<HeldCredits> holds) : MeterOp<int>
{
    public override int? WorkspaceId => null;

    internal override async Task ApplyAsync(MeterSql sql, DateTime nowUtc)
    {
        Result = 0;
        foreach (var hold in holds)
        {
            if (await HoldRelease.ApplyAsync(sql, hold.HoldId, hold.WorkspaceId, hold.AmountMicros)) Result++;
        }
    }
}

/// <summary>Writes the keys' last-used times collected in memory, one UPDATE per key per flush.</summary>
public sealed class TouchKeysOp(IReadOnlyDictionary<int, DateTime> lastUsed) : MeterOp<int>
{
    public override int? WorkspaceId => null;

    internal override async Task ApplyAsync(MeterSql sql, DateTime nowUtc)
    {
        foreach (var (keyId, atUtc) in lastUsed)
        {
            await sql.ExecuteAsync("UPDATE \"ApiKeys\" SET \"LastUsedAtUtc\" = @p0 WHERE \"Id\" = @p1", atUtc, keyId);
        }
        Result = lastUsed.Count;
    }
}

internal static class HoldRelease
{
    public static async Task<int> AllAsync(MeterSql sql, List<(long Id, int WorkspaceId, long Amount)> holds)
    {
        var released = 0;
        foreach (var (id, workspaceId, amount) in holds)
        {
            if (await ApplyAsync(sql, id, workspaceId, amount)) released++;
        }
        return released;
    }

    public static async Task<bool> ApplyAsync(MeterSql sql, long holdId, int workspaceId, long heldMicros)
    {
        // Only the one who deletes the hold gives its credits back: a release racing an expiry counts once.
        if (await sql.ScalarAsync("DELETE FROM \"CreditHolds\" WHERE \"Id\" = @p0 RETURNING \"ApiKeyId\"", holdId) is not { } apiKeyId) return false;
        await KeyLimitSql.ReleaseAsync(sql, apiKeyId, heldMicros);
        await sql.ExecuteAsync("UPDATE \"Workspaces\" SET \"HeldMicros\" = \"HeldMicros\" - @p0 WHERE \"Id\" = @p1", heldMicros, workspaceId);
        return true;
    }
}

internal static class UsageRecords
{
    public static Task<int> InsertAsync(MeterSql sql, UsageEntry usage, long costMicros, DateTime nowUtc) =>
        sql.ExecuteAsync(
            "INSERT INTO \"UsageRecords\" (\"WorkspaceId\", \"ApiKeyId\", \"Model\", \"InputTokens\", \"OutputTokens\", \"CostMicros\", \"Status\", \"AtUtc\") VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)",
            usage.WorkspaceId, usage.ApiKeyId, usage.Model, usage.InputTokens, usage.OutputTokens, costMicros, usage.Status, nowUtc);
}
