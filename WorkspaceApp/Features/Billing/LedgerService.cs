using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// The only way a workspace balance changes: an append-only ledger entry and the balance move together,
/// in one transaction, and the balance never goes below zero.
/// </summary>
public sealed class LedgerService(IDbContextFactory<AppDbContext> dbFactory, WorkspaceChangeNotifier notifier, TimeProvider clock)
{
    /// <summary>
    /// Adds <paramref name="amountMicros"/> (negative debits) to the balance and appends the entry. Refuses, writing
    /// nothing, when the balance would go below zero. A purchase already credited succeeds without change.
    /// </summary>
    public async Task<LedgerResult> PostAsync(
        int workspaceId, LedgerEntryKind kind, long amountMicros, string description, Actor actor,
        int? purchaseId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var result = await PostInTransactionAsync(db, workspaceId, kind, amountMicros, description, actor, purchaseId, ct);
        if (result.EntryId is null) return result; // refused or duplicate: the transaction rolls back on dispose
        await transaction.CommitAsync(ct);
        notifier.Publish(workspaceId);
        return result;
    }

    /// <summary>
    /// The body of <see cref="PostAsync"/> for callers that change more rows in the same transaction
    /// (fulfilment marks the purchase paid). The caller commits only when EntryId is set, then publishes.
    /// </summary>
    internal async Task<LedgerResult> PostInTransactionAsync(
        AppDbContext db, int workspaceId, LedgerEntryKind kind, long amountMicros, string description, Actor actor,
        int? purchaseId, CancellationToken ct)
    {
        if (ValidateAmount(kind, amountMicros) is { } invalid) return LedgerResult.Refused(invalid);
        if (purchaseId is { } pid && await db.LedgerEntries.AnyAsync(e => e.PurchaseId == pid, ct))
        {
            return LedgerResult.Duplicate(await BalanceAsync(db, workspaceId, ct) ?? 0);
        }

        // One conditional UPDATE: concurrent posts cannot both spend the same credits, and none is lost.
        // Credits held by API requests in flight are spoken for: a debit may not take them.
        var updated = await db.Workspaces
            .Where(w => w.Id == workspaceId && w.BalanceMicros + amountMicros >= w.HeldMicros)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.BalanceMicros, w => w.BalanceMicros + amountMicros), ct);
        var balance = await BalanceAsync(db, workspaceId, ct);
        if (balance is null) return LedgerResult.Refused($"Workspace {workspaceId} does not exist.");
        if (updated == 0)
        {
            return LedgerResult.Refused(
                $"The balance of {Money.Format(balance.Value)} credits cannot cover {Money.Format(-amountMicros)} credits.", balance.Value);
        }

        var entry = new LedgerEntry
        {
            WorkspaceId = workspaceId,
            Kind = kind,
            AmountMicros = amountMicros,
            BalanceAfterMicros = balance.Value,
            PurchaseId = purchaseId,
            Description = description.Length > 512 ? description[..512] : description,
            ActorName = actor.Name,
            AtUtc = clock.GetUtcNow().UtcDateTime,
        };
        db.LedgerEntries.Add(entry);
        if (AuditAction(kind) is { } action)
        {
            db.Record(workspaceId, actor, action, $"{Money.Format(amountMicros)} credits: {entry.Description}");
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (purchaseId is not null && ex.IsUniqueViolation())
        {
            // Another transaction credited this purchase first; ours rolls back untouched.
            db.ChangeTracker.Clear();
            return LedgerResult.Duplicate(balance.Value - amountMicros);
        }
        return LedgerResult.Posted(entry.Id, balance.Value);
    }

    /// <summary>
    /// Takes back up to <paramref name="maxMicros"/> in the caller's transaction, but never credits that are held for
    /// API requests in flight or already spent: returns the micro-credits it took (0 when nothing was available).
    /// </summary>
    internal async Task<long> TakeBackInTransactionAsync(
        AppDbContext db, int workspaceId, long maxMicros, string description, Actor actor, CancellationToken ct)
    {
        // A hold committing between the read and the conditional UPDATE refuses the post; read again and retry.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var available = await db.Workspaces.Where(w => w.Id == workspaceId)
                .Select(w => w.BalanceMicros - w.HeldMicros).SingleAsync(ct);
            var take = Math.Min(maxMicros, available);
            if (take <= 0) return 0;
            var result = await PostInTransactionAsync(db, workspaceId, LedgerEntryKind.Refund, -take, description, actor, null, ct);
            if (result.EntryId is not null) return take;
        }
        throw new InvalidOperationException($"Workspace {workspaceId}: the balance kept changing while taking back credits.");
    }

    private static string? ValidateAmount(LedgerEntryKind kind, long amountMicros) => kind switch
    {
        _ when amountMicros == 0 => "The amount must not be zero.",
        LedgerEntryKind.Purchase when amountMicros < 0 => "A purchase must add credits.",
        LedgerEntryKind.Usage when amountMicros > 0 => "Usage must take credits.",
        LedgerEntryKind.Refund when amountMicros > 0 => "A refund must take credits.",
        _ => null,
    };

    // Usage is recorded per request by the API (its own usage log), not in the audit log.
    private static string? AuditAction(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.Purchase => "credits.purchased",
        LedgerEntryKind.Adjustment => "credits.adjusted",
        LedgerEntryKind.Refund => "credits.refunded",
        _ => null,
    };

    private static Task<long?> BalanceAsync(AppDbContext db, int workspaceId, CancellationToken ct) =>
        db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (long?)w.BalanceMicros).FirstOrDefaultAsync(ct);

    public async Task<long?> GetBalanceAsync(int workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await BalanceAsync(db, workspaceId, ct);
    }

    /// <inheritdoc cref="LedgerVerifier.VerifyAsync"/>
    public async Task<LedgerVerification> VerifyAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await LedgerVerifier.VerifyAsync(db, ct);
    }
}
