using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Billing;

/// <summary>Each provider event takes effect once: its id is inserted in the transaction that applies it.</summary>
internal static class WebhookEventLog
{
    public static Task<bool> WasAppliedAsync(AppDbContext db, string eventId, CancellationToken ct) =>
        db.ProcessedWebhookEvents.AnyAsync(e => e.Id == eventId, ct);

    /// <summary>
    /// Inserts the event inside the caller's open transaction; false when it was applied before (or concurrently),
    /// in which case the caller rolls back and changes nothing.
    /// </summary>
    public static async Task<bool> ClaimAsync(AppDbContext db, string eventId, string type, DateTime nowUtc, CancellationToken ct)
    {
        db.ProcessedWebhookEvents.Add(new ProcessedWebhookEvent { Id = eventId, Type = type, ProcessedAtUtc = nowUtc });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }
}
