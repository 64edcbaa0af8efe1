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
        var admitted = await sql.ExecuteAsync(
            "UPDATE \"ApiKeys\" SET \"LimitHeldMicros\" = \"LimitHeldMicros\" + @p0 WHERE \"Id\" = @p1 AND (\"LimitMicros\" IS NULL OR " +
            "\"LimitHeldMicros\" + @p0 + CASE \"LimitPeriod\" " +
            "WHEN 1 THEN CASE WHEN \"SpentDayStartUtc\" >= @p2 THEN \"SpentDayMicros\" ELSE 0 END " +
            "WHEN 2 THEN CASE WHEN \"SpentMonthStartUtc\" >= @p3 THEN \"SpentMonthMicros\" ELSE 0 END " +
            "ELSE \"SpentTotalMicros\" END <= \"LimitMicros\")",
            amountMicros, apiKeyId, day, month);
        // Refused, or no such key (holds made outside the API, in tests): only an existing key has a limit to refuse by.
        return admitted == 1 || await sql.ScalarAsync("SELECT 1 FROM \"ApiKeys\" WHERE \"Id\" = @p0", apiKeyId) is null;
    }

    /// <summary>The hold leaves the key's held counter and its cost enters the current windows.</summary>
    public static Task SettleAsync(MeterSql sql, int apiKeyId, long releasedMicros, long costMicros, DateTime nowUtc)
    {
        var (day, month) = KeyLimitRules.WindowStarts(nowUtc);
        return sql.ExecuteAsync(
            "UPDATE \"ApiKeys\" SET \"LimitHeldMicros\" = \"LimitHeldMicros\" - @p0, " +
            "\"SpentDayMicros\" = CASE WHEN \"SpentDayStartUtc\" >= @p2 THEN \"SpentDayMicros\" ELSE 0 END + @p1, " +
            "\"SpentDayStartUtc\" = CASE WHEN \"SpentDayStartUtc\" >= @p2 THEN \"SpentDayStartUtc\" ELSE @p2 END, " +
            "\"SpentMonthMicros\" = CASE WHEN \"SpentMonthStartUtc\" >= @p3 THEN \"SpentMonthMicros\" ELSE 0 END + @p1, " +
            "\"SpentMonthStartUtc\" = CASE WHEN \"SpentMonthStartUtc\" >= @p3 THEN \"SpentMonthStartUtc\" ELSE @p3 END, " +
            "\"SpentTotalMicros\" = \"SpentTotalMicros\" + @p1 WHERE \"Id\" = @p4",
            releasedMicros, costMicros, day, month, apiKeyId);
    }

    /// <summary>Gives a hold back to the key (the request failed, or its hold was released).</summary>
    public static Task ReleaseAsync(MeterSql sql, long apiKeyId, long heldMicros) =>
        sql.ExecuteAsync("UPDATE \"ApiKeys\" SET \"LimitHeldMicros\" = \"LimitHeldMicros\" - @p0 WHERE \"Id\" = @p1", heldMicros, apiKeyId);
}
