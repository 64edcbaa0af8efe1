using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// Usage reports for the members of a workspace (every role may view them: they are read-only). Each method checks
/// the caller's membership first and returns null when it does not hold.
/// </summary>
public sealed class UsageService(IDbContextFactory<AppDbContext> dbFactory, WorkspaceAccess access, TimeProvider clock)
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<UsageReport?> GetReportAsync(ClaimsPrincipal user, int workspaceId, UsageRange range, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.View)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Yesterday is summed here on the first visit of the day; longer gaps are the background service's work.
        var summedThrough = await UsageRollup.CatchUpAsync(db, workspaceId, UsageRollup.ClosedThrough(clock.GetUtcNow().UtcDateTime), maxDays: 2, ct);
        var sums = await UsageQueries.DailySumsAsync(db, workspaceId, range, summedThrough, ct);

        var spent = (await UsageQueries.SpendPerDayAsync(sums, ct)).ToDictionary(d => d.Day, d => d.CostMicros);
        var days = Enumerable.Range(0, range.Days).Select(i => range.From.AddDays(i))
            .Select(day => new DaySpend(day, spent.GetValueOrDefault(day))).ToList();

        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.WorkspaceId == workspaceId)
            .Select(k => new { k.Id, k.Name, k.Hint }).ToDictionaryAsync(k => k.Id, ct);
        var byKey = (await UsageQueries.PerKeyAsync(sums, ct))
            .Select(g => keys.TryGetValue(g.Key, out var k) ? g.ToRow(k.Name, k.Hint) : g.ToRow($"Key {g.Key}", null))
            .OrderByDescending(r => r.CostMicros).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var byModel = (await UsageQueries.PerModelAsync(sums, ct))
            .Select(g => g.ToRow(g.Key, null))
            .OrderByDescending(r => r.CostMicros).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        return new UsageReport(range, days, byKey, byModel, UsageRow.Sum("Total", byModel));
    }

    /// <summary>Null when the workspace spent nothing in the last 7 days (no pace to speak of) or the caller may not see it.</summary>
    public async Task<BurnRate?> GetBurnRateAsync(ClaimsPrincipal user, int workspaceId, long balanceMicros, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.View)) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-BurnRate.Days);
        var spent = await UsageQueries.SpendSinceAsync(db, workspaceId, since, ct);
        var perDay = spent / BurnRate.Days;
        return perDay > 0 ? new BurnRate(perDay, balanceMicros) : null;
    }

    /// <summary>The requests of the range, oldest first, read as they are written out (never all in memory); null when not allowed.</summary>
    public async Task<IAsyncEnumerable<UsageCsvRow>?> ExportAsync(ClaimsPrincipal user, int workspaceId, UsageRange range, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.View)) return null;
        return Stream(workspaceId, range, ct);
    }

    private async IAsyncEnumerable<UsageCsvRow> Stream(int workspaceId, UsageRange range, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await foreach (var row in UsageQueries.CsvRowsAsync(db, workspaceId, range, ct)) yield return row;
    }
}
