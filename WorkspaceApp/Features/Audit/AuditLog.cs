using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Audit;

public static class AuditLog
{
    /// <summary>Adds an audit event to the context, so it is saved in the caller's transaction.</summary>
    public static void Record(this AppDbContext db, int workspaceId, Actor actor, string action, string details) =>
        db.Set<AuditEvent>().Add(new AuditEvent
        {
            WorkspaceId = workspaceId,
            ActorUserId = actor.UserId,
            ActorName = actor.Name,
            Action = action,
            Details = details,
            AtUtc = DateTime.UtcNow,
        });
}
