using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Billing;

internal static class LedgerVerifier
{
    /// <summary>
    /// Checks every invariant of the ledger: each balance equals the sum of its entries and is not negative, the
    /// credits held equal the sum of the workspace's open holds (and lie between zero and the balance), no purchase is credited twice, every paid purchase is credited exactly once (with the amount paid)
    /// and no unpaid purchase is credited, and refunds are accounted for. Returns one line per problem.
    /// </summary>
    public static async Task<LedgerVerification> VerifyAsync(AppDbContext db, CancellationToken ct)
    {
        await using var snapshot = await BeginSnapshotAsync(db, ct);
        var problems = new List<string>();

        var workspaces = await db.Workspaces
            .Select(w => new
            {
                w.Id,
                w.BalanceMicros,
                Sum = db.LedgerEntries.Where(e => e.WorkspaceId == w.Id).Sum(e => (long?)e.AmountMicros) ?? 0,
                w.HeldMicros,
                Holds = db.CreditHolds.Where(h => h.WorkspaceId == w.Id).Sum(h => (long?)h.AmountMicros) ?? 0,
            })
            .ToListAsync(ct);
        foreach (var w in workspaces)
        {
            if (w.BalanceMicros < 0) problems.Add($"workspace {w.Id}: balance {Money.Format(w.BalanceMicros)} is below zero");
            if (w.BalanceMicros != w.Sum)
            {
                problems.Add($"workspace {w.Id}: balance {Money.Format(w.BalanceMicros)} differs from the ledger sum {Money.Format(w.Sum)}");
            }
            if (w.HeldMicros != w.Holds)
            {
                problems.Add($"workspace {w.Id}: held {Money.Format(w.HeldMicros)} differs from the sum of its open holds {Money.Format(w.Holds)}");
            }
            if (w.HeldMicros < 0 || w.HeldMicros > w.BalanceMicros)
            {
                problems.Add($"workspace {w.Id}: held {Money.Format(w.HeldMicros)} is outside 0..balance {Money.Format(w.BalanceMicros)}");
            }
        }

        var credits = await db.LedgerEntries.Where(e => e.PurchaseId != null)
            .GroupBy(e => e.PurchaseId!.Value)
            .Select(g => new { PurchaseId = g.Key, Count = g.Count(), Micros = g.Sum(e => e.AmountMicros), WorkspaceId = g.Min(e => e.WorkspaceId) })
            .ToDictionaryAsync(c => c.PurchaseId, ct);
        var purchases = await db.Purchases.Select(p => new { p.Id, p.WorkspaceId, p.Status, p.AmountCents }).ToListAsync(ct);
        foreach (var p in purchases)
        {
            credits.Remove(p.Id, out var credit);
            if (credit is { Count: > 1 }) problems.Add($"purchase {p.Id}: credited {credit.Count} times");
            if (p.Status == PurchaseStatus.Paid && credit is null) problems.Add($"purchase {p.Id}: paid but never credited");
            if (p.Status != PurchaseStatus.Paid && credit is not null) problems.Add($"purchase {p.Id}: credited but {p.Status.ToString().ToLowerInvariant()}");
            if (p.Status == PurchaseStatus.Paid && credit is not null && credit.Micros != Money.FromCents(p.AmountCents))
            {
                problems.Add($"purchase {p.Id}: credited {Money.Format(credit.Micros)} for a payment of {Money.Format(Money.FromCents(p.AmountCents))}");
            }
            if (credit is not null && credit.WorkspaceId != p.WorkspaceId) problems.Add($"purchase {p.Id}: credited to workspace {credit.WorkspaceId}");
        }
        foreach (var orphan in credits.Keys) problems.Add($"ledger credits purchase {orphan}, which does not exist");
        problems.AddRange(await VerifyRefundsAsync(db, ct));

        var entries = await db.LedgerEntries.CountAsync(ct);
        return new LedgerVerification(workspaces.Count, entries, problems);
    }

    /// <summary>
    /// What was returned to customers (refunds, disputes) is accounted for: per workspace, the credits the Refund entries
    /// took back plus the shortfall recorded on its purchases (credits already spent) equal the refunded euros; and no
    /// purchase returns more than was paid.
    /// </summary>
    private static async Task<IEnumerable<string>> VerifyRefundsAsync(AppDbContext db, CancellationToken ct)
    {
        var overRefunded = await db.Purchases.Where(p => p.RefundedCents > p.AmountCents || p.RefundedCents < 0 || p.ShortfallMicros < 0)
            .Select(p => p.Id).ToListAsync(ct);
        var workspaces = await db.Workspaces
            .Select(w => new
            {
                w.Id,
                RefundedCents = db.Purchases.Where(p => p.WorkspaceId == w.Id).Sum(p => (long?)p.RefundedCents) ?? 0,
                Shortfall = db.Purchases.Where(p => p.WorkspaceId == w.Id).Sum(p => (long?)p.ShortfallMicros) ?? 0,
                TakenBack = -(db.LedgerEntries.Where(e => e.WorkspaceId == w.Id && e.Kind == LedgerEntryKind.Refund).Sum(e => (long?)e.AmountMicros) ?? 0),
            })
            .Where(w => w.RefundedCents != 0 || w.Shortfall != 0 || w.TakenBack != 0)
            .ToListAsync(ct);
        return overRefunded.Select(id => $"purchase {id}: refunded amount or shortfall outside 0..paid")
            .Concat(workspaces.Where(w => w.TakenBack + w.Shortfall != Money.FromCents(w.RefundedCents)).Select(w =>
                $"workspace {w.Id}: refunds of {Money.Format(Money.FromCents(w.RefundedCents))} but {Money.Format(w.TakenBack)} taken back " +
                $"and {Money.Format(w.Shortfall)} recorded as already spent"));
    }

    /// <summary>
    /// One snapshot for all the reads, so that a post committing meanwhile cannot make a consistent ledger look broken
    /// (PostgreSQL's default read committed would give each statement its own). On SQLite a deferred (read)
    /// transaction: in WAL mode it sees one snapshot and takes no lock, so the meter keeps committing while it reads.
    /// EF's BeginTransaction would be BEGIN IMMEDIATE, holding the one write lock for the whole verification.
    /// </summary>
    internal static async Task<IAsyncDisposable> BeginSnapshotAsync(AppDbContext db, CancellationToken ct)
    {
        if (db.Database.GetDbConnection() is not SqliteConnection sqlite)
        {
            return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        }
        await db.Database.OpenConnectionAsync(ct);
        var transaction = sqlite.BeginTransaction(deferred: true);
        await db.Database.UseTransactionAsync(transaction, ct);
        return transaction; // disposing it ends the read; EF's wrapper does not own it
    }
}
