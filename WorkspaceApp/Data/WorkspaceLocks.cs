using Microsoft.EntityFrameworkCore;

namespace WorkspaceApp.Data;

public static class WorkspaceLocks
{
    /// <summary>
    /// Makes the caller's transaction the only writer of this workspace until it ends, so a check followed by a write
    /// (the key limit, "is this key still active") still holds at the write. SQLite transactions already start
    /// IMMEDIATE (one writer at a time); PostgreSQL's read committed needs the workspace row locked.
    /// </summary>
    public static async Task LockWorkspaceAsync(this AppDbContext db, int workspaceId, CancellationToken ct)
    {
        if (!db.Database.IsNpgsql()) return;
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM \"Workspaces\" WHERE \"Id\" = {workspaceId} FOR NO KEY UPDATE", ct);
    }
}
