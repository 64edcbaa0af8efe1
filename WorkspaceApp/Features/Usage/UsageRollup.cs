using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// Sums the usage records of closed days into <see cref="UsageDay"/> rows, once per day and workspace: a report sums
/// the last day or two itself, <see cref="UsageRollupService"/> the rest (a year of history after an upgrade) in the
/// background. A day is closed an hour after it ends: by then no instance, even with a clock a little behind, still
/// writes records dated that day.
/// </summary>
public static class UsageRollup
{
    public static readonly TimeSpan Margin = TimeSpan.FromHours(1);

    /// <summary>The last closed day at <paramref name="nowUtc"/>: the days up to it come from <see cref="UsageDay"/>.</summary>
    public static DateOnly ClosedThrough(DateTime nowUtc) => DateOnly.FromDateTime(nowUtc - Margin).AddDays(-1);

    /// <summary>
    /// Sums up to <paramref name="maxDays"/> closed days after the workspace's mark (from its first record when it has
    /// none) and moves the mark; returns the mark afterwards (null: nothing summed yet). Reports read days up to the mark
    /// from <see cref="UsageDay"/> and the rest from the records, so a mark that lags only makes them slower.
    /// </summary>
    public static async Task<DateOnly?> CatchUpAsync(AppDbContext db, int workspaceId, DateOnly closedThrough, int maxDays, CancellationToken ct = default)
    {
        var mark = await MarkAsync(db, workspaceId, ct);
        if (mark >= closedThrough) return mark;
        DateOnly start;
        if (mark is { } through)
        {
            start = through.AddDays(1);
        }
        else
        {
            var first = await db.UsageRecords.Where(u => u.WorkspaceId == workspaceId).MinAsync(u => (DateTime?)u.AtUtc, ct);
            start = first is { } at ? DateOnly.FromDateTime(at) : closedThrough.AddDays(1);
        }
        var last = start.AddDays(maxDays - 1) < closedThrough ? start.AddDays(maxDays - 1) : closedThrough;
        if (last >= start)
        {
            var from = start.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            var to = last.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            db.Set<UsageDay>().AddRange(await SumAsync(db.UsageRecords.AsNoTracking().Where(u => u.WorkspaceId == workspaceId && u.AtUtc >= from && u.AtUtc < to), workspaceId, ct));
        }
        else
        {
            last = closedThrough; // no records before today: nothing to sum up to the last closed day
        }
        var next = new UsageRollupMark { WorkspaceId = workspaceId, ThroughDay = last };
        if (mark is null) db.Set<UsageRollupMark>().Add(next);
        else db.Set<UsageRollupMark>().Update(next);
        try
        {
            // The rows and the mark in one transaction (SaveChanges wraps them in one).
            await db.SaveChangesAsync(ct);
            return last;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            // Another page or instance summed the same days at the same moment: its rows are the same sums.
            db.ChangeTracker.Clear();
            return await MarkAsync(db, workspaceId, ct);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static Task<DateOnly?> MarkAsync(AppDbContext db, int workspaceId, CancellationToken ct) =>
        db.Set<UsageRollupMark>().AsNoTracking().Where(m => m.WorkspaceId == workspaceId).Select(m => (DateOnly?)m.ThroughDay).FirstOrDefaultAsync(ct);

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
