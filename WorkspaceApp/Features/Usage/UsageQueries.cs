using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// The Usage page's queries, aggregated in the database (GROUP BY on SQLite and PostgreSQL alike) over the index on
/// (WorkspaceId, AtUtc, Id). Public so bench/usage times exactly these.
/// </summary>
public static class UsageQueries
{
    public static IQueryable<UsageRecord> InRange(AppDbContext db, int workspaceId, DateTime fromUtc, DateTime toUtcExclusive) =>
        db.UsageRecords.AsNoTracking()
            .Where(u => u.WorkspaceId == workspaceId && u.AtUtc >= fromUtc && u.AtUtc < toUtcExclusive);

    public static IQueryable<UsageRecord> InRange(AppDbContext db, int workspaceId, UsageRange range) =>
        InRange(db, workspaceId, range.FromUtc, range.ToUtcExclusive);

    /// <summary>Spend per UTC day; days without records are missing (the caller fills them in).</summary>
    public static async Task<List<DaySpend>> SpendPerDayAsync(AppDbContext db, int workspaceId, UsageRange range, CancellationToken ct = default)
    {
        var days = await InRange(db, workspaceId, range)
            .GroupBy(u => u.AtUtc.Date)
            .Select(g => new { Day = g.Key, Cost = g.Sum(u => u.CostMicros) })
            .ToListAsync(ct);
        return days.Select(d => new DaySpend(DateOnly.FromDateTime(d.Day), d.Cost)).ToList();
    }

    public static Task<List<UsageGroup<int>>> PerKeyAsync(AppDbContext db, int workspaceId, UsageRange range, CancellationToken ct = default) =>
        GroupAsync(InRange(db, workspaceId, range), u => u.ApiKeyId, ct);

    public static Task<List<UsageGroup<string>>> PerModelAsync(AppDbContext db, int workspaceId, UsageRange range, CancellationToken ct = default) =>
        GroupAsync(InRange(db, workspaceId, range), u => u.Model, ct);

    /// <summary>The sum the burn rate is taken from: spend since <paramref name="sinceUtc"/>.</summary>
    public static Task<long> SpendSinceAsync(AppDbContext db, int workspaceId, DateTime sinceUtc, CancellationToken ct = default) =>
        db.UsageRecords.Where(u => u.WorkspaceId == workspaceId && u.AtUtc >= sinceUtc).SumAsync(u => u.CostMicros, ct);

    /// <summary>One row per request, oldest first, with the key's name and hint: what the CSV export streams.</summary>
    public static IQueryable<UsageCsvRow> Rows(AppDbContext db, int workspaceId, UsageRange range) =>
        from u in InRange(db, workspaceId, range)
        join k in db.ApiKeys on u.ApiKeyId equals k.Id into keys
        from k in keys.DefaultIfEmpty()
        orderby u.AtUtc, u.Id
        select new UsageCsvRow(u.AtUtc, k == null ? "" : k.Name, k == null ? "" : k.Hint, u.Model, u.InputTokens, u.OutputTokens, u.CostMicros, u.Status);

    private static Task<List<UsageGroup<TKey>>> GroupAsync<TKey>(IQueryable<UsageRecord> records, Expression<Func<UsageRecord, TKey>> key, CancellationToken ct) =>
        records.GroupBy(key).Select(g => new UsageGroup<TKey>(
            g.Key,
            g.Sum(u => u.CostMicros),
            g.Count(u => u.Status == UsageStatus.Succeeded || u.Status == UsageStatus.ClientAborted || u.Status == UsageStatus.UpstreamInterrupted),
            g.Count(u => u.Status == UsageStatus.Failed),
            g.Count(),
            g.Sum(u => u.Status == UsageStatus.Succeeded || u.Status == UsageStatus.ClientAborted || u.Status == UsageStatus.UpstreamInterrupted ? (long)u.InputTokens : 0L),
            g.Sum(u => u.Status == UsageStatus.Succeeded || u.Status == UsageStatus.ClientAborted || u.Status == UsageStatus.UpstreamInterrupted ? (long)u.OutputTokens : 0L)))
        .ToListAsync(ct);
}

/// <summary>A GROUP BY result: all requests, the served ones, the failed ones (the rest were refused).</summary>
public sealed record UsageGroup<TKey>(TKey Key, long CostMicros, int Served, int Failed, int All, long InputTokens, long OutputTokens)
{
    public UsageRow ToRow(string name, string? hint) => new(name, hint, CostMicros, Served, All - Served - Failed, Failed, InputTokens, OutputTokens);
}
