using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// Sums the usage records of closed days into <see cref="UsageDay"/> rows, once per day and workspace, when a report
/// first needs them. A day is closed an hour after it ends: by then no instance, even with a clock a little behind,
/// still writes records dated that day.
/// </summary>
public static class UsageRollup
{
    public static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    /// <summary>The last closed day at <paramref name="nowUtc"/>: the days up to it come from <see cref="UsageDay"/>.</summary>
    public static DateOnly ClosedThrough(DateTime nowUtc) => DateOnly.FromDateTime(nowUtc - Margin).AddDays(-1);

    /// <summary>Sums every closed day not yet summed; returns the days it added rows for (0 when up to date).</summary>
    public static async Task<int> CatchUpAsync(AppDbContext db, int workspaceId, DateOnly closedThrough, CancellationToken ct = default)
    {
        var mark = await db.Set<UsageRollupMark>().AsNoTracking().Where(m => m.WorkspaceId == workspaceId)
            .Select(m => (DateOnly?)m.ThroughDay).FirstOrDefaultAsync(ct);
        if (mark >= closedThrough) return 0;
        var end = closedThrough.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var records = db.UsageRecords.AsNoTracking().Where(u => u.WorkspaceId == workspaceId && u.AtUtc < end);
        if (mark is { } through)
        {
            var start = through.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            records = records.Where(u => u.AtUtc >= start);
        }
        var days = await SumAsync(records, workspaceId, ct);

        db.Set<UsageDay>().AddRange(days);
        if (mark is null) db.Set<UsageRollupMark>().Add(new UsageRollupMark { WorkspaceId = workspaceId, ThroughDay = closedThrough });
        else db.Set<UsageRollupMark>().Update(new UsageRollupMark { WorkspaceId = workspaceId, ThroughDay = closedThrough });
        try
        {
            // The rows and the mark in one transaction (SaveChanges wraps them in one).
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Another page summed the same days at the same moment: its rows are the same sums.
            return 0;
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        return days.Select(d => d.Day).Distinct().Count();
    }

    /// <summary>The records summed per UTC day, key and model, in the database.</summary>
    public static async Task<List<UsageDay>> SumAsync(IQueryable<UsageRecord> records, int workspaceId, CancellationToken ct = default)
    {
        var sums = await records
            .GroupBy(u => new { u.AtUtc.Date, u.ApiKeyId, u.Model })
            .Select(g => new
            {
                g.Key.Date, g.Key.ApiKeyId, g.Key.Model,
                Served = g.Count(u => u.Status == UsageStatus.Succeeded || u.Status == UsageStatus.ClientAborted || u.Status == UsageStatus.UpstreamInterrupted),
                Failed = g.Count(u => u.Status == UsageStatus.Failed),
                All = g.Count(),
                Input = g.Sum(u => u.Status == UsageStatus.Succeeded || u.Status == UsageStatus.ClientAborted || u.Status == UsageStatus.UpstreamInterrupted ? (long)u.InputTokens : 0L),
                Output = g.Sum(u => u.Status == UsageStatus.Succeeded || u.Status == UsageStatus.ClientAborted || u.Status == UsageStatus.UpstreamInterrupted ? (long)u.OutputTokens : 0L),
                Cost = g.Sum(u => u.CostMicros),
            })
            .ToListAsync(ct);
        return sums.Select(d => new UsageDay
        {
            WorkspaceId = workspaceId, Day = DateOnly.FromDateTime(d.Date), ApiKeyId = d.ApiKeyId, Model = d.Model,
            Served = d.Served, Refused = d.All - d.Served - d.Failed, Failed = d.Failed, InputTokens = d.Input, OutputTokens = d.Output, CostMicros = d.Cost,
        }).ToList();
    }
}
