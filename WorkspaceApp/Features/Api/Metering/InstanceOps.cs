namespace WorkspaceApp.Features.Api.Metering;

/// <summary>Records that this instance is alive (its row in AppInstances, created on the first beat).</summary>
public sealed class HeartbeatOp(DateTime startedAtUtc) : MeterOp<bool>
{
    public override int? WorkspaceId => null;

    internal override async Task ApplyAsync(MeterSql sql, DateTime nowUtc)
    {
        await sql.ExecuteAsync(
            "INSERT INTO \"AppInstances\" (\"Id\", \"StartedAtUtc\", \"LastSeenAtUtc\") VALUES (@p0, @p1, @p2) " +
            "ON CONFLICT (\"Id\") DO UPDATE SET \"StartedAtUtc\" = excluded.\"StartedAtUtc\", \"LastSeenAtUtc\" = excluded.\"LastSeenAtUtc\"",
            sql.InstanceId, startedAtUtc, nowUtc);
        Result = true;
    }
}

/// <summary>
/// Releases the holds of other instances not seen since a cutoff (killed, or gone without a trace), and forgets
/// those instances. A hold younger than the cutoff is never released here: its instance may not have written its
/// first heartbeat yet. So a live instance, which beats every few seconds, never loses a hold to another.
/// </summary>
public sealed class ReleaseDeadInstancesOp(DateTime cutoffUtc) : MeterOp<int>
{
    public override int? WorkspaceId => null;

    internal override async Task ApplyAsync(MeterSql sql, DateTime nowUtc)
    {
        var orphaned = await sql.HoldsWhereAsync(
            "\"InstanceId\" <> @p0 AND \"CreatedAtUtc\" < @p1 AND NOT EXISTS (SELECT 1 FROM \"AppInstances\" i " +
            "WHERE i.\"Id\" = \"CreditHolds\".\"InstanceId\" AND i.\"LastSeenAtUtc\" >= @p1)",
            sql.InstanceId, cutoffUtc);
        Result = await HoldRelease.AllAsync(sql, orphaned);
        await sql.ExecuteAsync("DELETE FROM \"AppInstances\" WHERE \"Id\" <> @p0 AND \"LastSeenAtUtc\" < @p1", sql.InstanceId, cutoffUtc);
    }
}
