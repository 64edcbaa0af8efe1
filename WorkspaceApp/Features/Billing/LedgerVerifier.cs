using System.Data;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Billing;

internal static class LedgerVerifier
{
    /// <summary>
    /// Checks every invariant of the ledger: each balance equals the sum of its entries and is not negative,
    /// no purchase is credited twice, every paid purchase is credited exactly once (with the amount paid)
    /// and no unpaid purchase is credited. Returns one line per problem.
    /// </summary>
    public static async Task<LedgerVerification> VerifyAsync(AppDbContext db, CancellationToken ct)
    {
        // One snapshot for all the reads, so that a post committing meanwhile cannot make a consistent ledger look broken
        // (PostgreSQL's default read committed would give each statement its own; SQLite runs this as serializable).
        await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var problems = new List<string>();

        var workspaces = await db.Workspaces
            .Select(w => new
            {
                w.Id,
                w.BalanceMicros,
                Sum = db.LedgerEntries.Where(e => e.WorkspaceId == w.Id).Sum(e => (long?)e.AmountMicros) ?? 0,
            })
            .ToListAsync(ct);
        foreach (var w in workspaces)
        {
            if (w.BalanceMicros < 0) problems.Add($"workspace {w.Id}: balance {Money.Format(w.BalanceMicros)} is below zero");
            if (w.BalanceMicros != w.Sum)
            {
                problems.Add($"workspace {w.Id}: balance {Money.Format(w.BalanceMicros)} differs from the ledger sum {Money.Format(w.Sum)}");
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

        var entries = await db.LedgerEntries.CountAsync(ct);
        return new LedgerVerification(workspaces.Count, entries, problems);
    }
}
