using WorkspaceApp.Features.ApiKeys;

namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// The per-key spend limit, kept exact like the balance. Every key carries counters: LimitHeldMicros (its live holds,
/// whatever window they were taken in), and what it spent in the current UTC day, the current UTC month (each with the
/// start of the window it counts) and in total. A hold is admitted by ONE conditional UPDATE: spent in the current
/// window + held + this hold must stay within the limit. Settling moves the hold's amount out of held and the real cost
/// (never more) into spent, in the window of the settlement (the time of its ledger entry), so "spent" always equals
/// the key's usage ledger debits in that window. Why it is never overshot:
/// - A hold taken before midnight and settled after counts against the new window while it is held, and its cost
///   lands in the new window: spent(new) + held only ever grows by admitted holds, and settling never increases it.
/// - A window rolls over lazily: a counter whose start is before the current window's start reads as 0 and is reset
///   by the next settlement. Starts only move forward (an instance whose clock lags adds to the newer window instead
///   of moving it back), so a lagging clock can only count spend early, never forget it.
/// - Editing the limit or period needs no recount: all three windows are always counted.
/// Counters are kept for keys without a limit too, so a limit set later applies to the spend so far.
/// </summary>
internal static class KeyLimitSql
{
    /// <summary>Sets <paramref name="amountMicros"/> aside on the key; false only when the key exists and its limit refuses it.</summary>
    public static async Task<bool> TryHoldAsync(MeterSql sql, int apiKeyId, long amountMicros, DateTime nowUtc)
    {
        var (day, month) = KeyLimitRules.WindowStarts(nowUtc);
        var admitted = await sql.ExecuteAsync(HoldSql, amountMicros, apiKeyId, day, month);
        // Refused, or no such key (holds made outside the API, in tests): only an existing key has a limit to refuse by.
        return admitted == 1 || await sql.ScalarAsync("SELECT 1 FROM \"ApiKeys\" WHERE \"Id\" = @p0", apiKeyId) is null;
    }

    /// <summary>The conditional UPDATE that admits a hold on the key, with the given parameter names.</summary>
    public static string HoldUpdate(string amount, string keyId, string day, string month) =>
        $"UPDATE \"ApiKeys\" SET \"LimitHeldMicros\" = \"LimitHeldMicros\" + {amount} WHERE \"Id\" = {keyId} AND (\"LimitMicros\" IS NULL OR " +
        $"\"LimitHeldMicros\" + {amount} + CASE \"LimitPeriod\" " +
        $"WHEN 1 THEN CASE WHEN \"SpentDayStartUtc\" >= {day} THEN \"SpentDayMicros\" ELSE 0 END " +
        $"WHEN 2 THEN CASE WHEN \"SpentMonthStartUtc\" >= {month} THEN \"SpentMonthMicros\" ELSE 0 END " +
        "ELSE \"SpentTotalMicros\" END <= \"LimitMicros\")";

    /// <summary>The hold leaves the key's held counter and its cost enters the current windows.</summary>
    public static Task SettleAsync(MeterSql sql, int apiKeyId, long releasedMicros, long costMicros, DateTime nowUtc)
    {
        var (day, month) = KeyLimitRules.WindowStarts(nowUtc);
        return sql.ExecuteAsync(SettleSql, releasedMicros, costMicros, day, month, apiKeyId);
    }

    private static readonly string HoldSql = HoldUpdate(amount: "@p0", keyId: "@p1", day: "@p2", month: "@p3");
    private static readonly string SettleSql = SettleUpdate(released: "@p0", cost: "@p1", day: "@p2", month: "@p3", keyId: "@p4");

    /// <summary>The UPDATE that settles a hold on the key, with the given parameter names.</summary>
    public static string SettleUpdate(string released, string cost, string day, string month, string keyId) =>
        $"UPDATE \"ApiKeys\" SET \"LimitHeldMicros\" = \"LimitHeldMicros\" - {released}, " +
        $"\"SpentDayMicros\" = CASE WHEN \"SpentDayStartUtc\" >= {day} THEN \"SpentDayMicros\" ELSE 0 END + {cost}, " +
        $"\"SpentDayStartUtc\" = CASE WHEN \"SpentDayStartUtc\" >= {day} THEN \"SpentDayStartUtc\" ELSE {day} END, " +
        $"\"SpentMonthMicros\" = CASE WHEN \"SpentMonthStartUtc\" >= {month} THEN \"SpentMonthMicros\" ELSE 0 END + {cost}, " +
        $"\"SpentMonthStartUtc\" = CASE WHEN \"SpentMonthStartUtc\" >= {month} THEN \"SpentMonthStartUtc\" ELSE {month} END, " +
        $"\"SpentTotalMicros\" = \"SpentTotalMicros\" + {cost} WHERE \"Id\" = {keyId}";

    /// <summary>Gives a hold back to the key (the request failed, or its hold was released).</summary>
    public static Task ReleaseAsync(MeterSql sql, long apiKeyId, long heldMicros) =>
        sql.ExecuteAsync("UPDATE \"ApiKeys\" SET \"LimitHeldMicros\" = \"LimitHeldMicros\" - @p0 WHERE \"Id\" = @p1", heldMicros, apiKeyId);
}
