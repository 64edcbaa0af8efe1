using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// The Usage page's queries, aggregated in the database (GROUP BY, on SQLite and PostgreSQL alike). A range reads
/// summed days from their daily sums (<see cref="UsageDay"/>) and the days after the rollup mark (today, yesterday in
/// its first hour) from the records, summed the same way over the index on (WorkspaceId, AtUtc, Id). Public so
/// bench/usage times exactly these.
/// </summary>
public static class UsageQueries
{
    public static IQueryable<UsageRecord> InRange(AppDbContext db, int workspaceId, DateTime fromUtc, DateTime toUtcExclusive) =>
        db.UsageRecords.AsNoTracking()
            .Where(u => u.WorkspaceId == workspaceId && u.AtUtc >= fromUtc && u.AtUtc < toUtcExclusive);

    public static IQueryable<UsageRecord> InRange(AppDbContext db, int workspaceId, UsageRange range) =>
        InRange(db, workspaceId, range.FromUtc, range.ToUtcExclusive);

    /// <summary>
    /// The daily sums of the range: a database query for the days up to <paramref name="summedThrough"/> (the
    /// workspace's rollup mark; null when nothing is summed yet), and the later days' records summed now (a few rows
    /// per day, key and model, held in memory).
    /// </summary>
    public static async Task<IQueryable<UsageDay>[]> DailySumsAsync(AppDbContext db, int workspaceId, UsageRange range, DateOnly? summedThrough, CancellationToken ct = default)
    {
        var sources = new List<IQueryable<UsageDay>>();
        var closedThrough = summedThrough ?? range.From.AddDays(-1);
        if (range.From <= closedThrough)
        {
            var to = range.To < closedThrough ? range.To : closedThrough;
            sources.Add(db.Set<UsageDay>().AsNoTracking().Where(d => d.WorkspaceId == workspaceId && d.Day >= range.From && d.Day <= to));
        }
        if (range.To > closedThrough)
        {
            var open = range with { From = range.From > closedThrough ? range.From : closedThrough.AddDays(1) };
            sources.Add((await UsageRollup.SumAsync(InRange(db, workspaceId, open), workspaceId, ct)).AsQueryable());
        }
        return [.. sources];
    }

    /// <summary>Spend per UTC day; days without records are missing (the caller fills them in).</summary>
    public static Task<List<DaySpend>> SpendPerDayAsync(IQueryable<UsageDay>[] sums, CancellationToken ct = default) =>
        ListAsync(sums, s => s.GroupBy(d => d.Day).Select(g => new DaySpend(g.Key, g.Sum(d => d.CostMicros))), ct);

    public static Task<List<UsageGroup<int>>> PerKeyAsync(IQueryable<UsageDay>[] sums, CancellationToken ct = default) => GroupAsync(sums, d => d.ApiKeyId, ct);

    public static Task<List<UsageGroup<string>>> PerModelAsync(IQueryable<UsageDay>[] sums, CancellationToken ct = default) => GroupAsync(sums, d => d.Model, ct);

    /// <summary>The sum the burn rate is taken from: spend since <paramref name="sinceUtc"/>.</summary>
    public static Task<long> SpendSinceAsync(AppDbContext db, int workspaceId, DateTime sinceUtc, CancellationToken ct = default) =>
        db.UsageRecords.Where(u => u.WorkspaceId == workspaceId && u.AtUtc >= sinceUtc).SumAsync(u => u.CostMicros, ct);

    /// <summary>
    /// One row per request, oldest first, with the key's name and hint: what the CSV export streams. Read in pages of
    /// <see cref="CsvPageSize"/> after the last (AtUtc, Id) seen, each an index range with a LIMIT, so the first rows come
    /// at once whatever the range (one query for a year lets PostgreSQL sort it all first) and memory stays flat. The
    /// workspace's few keys are looked up in memory.
    /// </summary>
    public static async IAsyncEnumerable<UsageCsvRow> CsvRowsAsync(AppDbContext db, int workspaceId, UsageRange range,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.WorkspaceId == workspaceId)
            .Select(k => new { k.Id, k.Name, k.Hint }).ToDictionaryAsync(k => k.Id, ct);
        var (lastAt, lastId) = (range.FromUtc, 0L);
        while (true)
        {
            var (at, id) = (lastAt, lastId);
            // Each page is an index range starting at the last row sent ("AtUtc >= at", not the range's start as well:
            // with both, the scan started at the range's start on every page and a year took a minute).
            var page = await InRange(db, workspaceId, at, range.ToUtcExclusive)
                .Where(u => u.AtUtc > at || u.Id > id)
                .OrderBy(u => u.AtUtc).ThenBy(u => u.Id).Take(CsvPageSize).ToListAsync(ct);
            foreach (var u in page)
            {
                var key = keys.GetValueOrDefault(u.ApiKeyId);
                yield return new UsageCsvRow(u.AtUtc, key?.Name ?? "", key?.Hint ?? "", u.Model, u.InputTokens, u.OutputTokens, u.CostMicros, u.Status);
            }
            if (page.Count < CsvPageSize) yield break;
            (lastAt, lastId) = (page[^1].AtUtc, page[^1].Id);
        }
    }

    public const int CsvPageSize = 2_000;

    private static async Task<List<UsageGroup<TKey>>> GroupAsync<TKey>(IQueryable<UsageDay>[] sums, Expression<Func<UsageDay, TKey>> key, CancellationToken ct)
        where TKey : notnull
    {
        var parts = await ListAsync(sums, s => s.GroupBy(key).Select(g => new UsageGroup<TKey>(
            g.Key, g.Sum(d => d.CostMicros), g.Sum(d => d.Served), g.Sum(d => d.Refused), g.Sum(d => d.Failed),
            g.Sum(d => d.InputTokens), g.Sum(d => d.OutputTokens))), ct);
        // A key or model used both on closed days and today has a part from each source.
        return parts.GroupBy(p => p.Key).Select(g => new UsageGroup<TKey>(g.Key,
            g.Sum(p => p.CostMicros), g.Sum(p => p.Served), g.Sum(p => p.Refused), g.Sum(p => p.Failed),
            g.Sum(p => p.InputTokens), g.Sum(p => p.OutputTokens))).ToList();
    }

    private static async Task<List<T>> ListAsync<T>(IQueryable<UsageDay>[] sums, Func<IQueryable<UsageDay>, IQueryable<T>> query, CancellationToken ct)
    {
        var results = new List<T>();
        foreach (var source in sums)
        {
            var q = query(source);
            results.AddRange(q is IAsyncEnumerable<T> ? await q.ToListAsync(ct) : q.ToList());
        }
        return results;
    }
}

/// <summary>A GROUP BY result: the served (charged) requests, the refused and the failed ones, and what was served.</summary>
public sealed record UsageGroup<TKey>(TKey Key, long CostMicros, long Served, long Refused, long Failed, long InputTokens, long OutputTokens)
{
    public UsageRow ToRow(string name, string? hint) => new(name, hint, CostMicros, Served, Refused, Failed, InputTokens, OutputTokens);
}
