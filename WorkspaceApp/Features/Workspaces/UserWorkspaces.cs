using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;

namespace WorkspaceApp.Features.Workspaces;

/// <summary>A user's several workspaces: choosing one, creating another, renaming. Every method checks the caller.</summary>
public sealed class UserWorkspaces(
    IDbContextFactory<AppDbContext> dbFactory, WorkspaceService workspaces, WorkspaceAccess access, WorkspaceChangeNotifier notifier)
{
    public const string NotAMember = "You are not a member of this workspace.";
    public const string NotAllowedToRename = "Only workspace owners and admins can rename the workspace.";

    /// <summary>Remembers the workspace the user works in from now on (all their tabs, after a reload).</summary>
    public async Task<WorkspaceResult<int>> SwitchAsync(ClaimsPrincipal user, int workspaceId, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.View)) return WorkspaceResult.Fail<int>(NotAMember);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await RememberAsync(db, UserId(user), workspaceId, ct);
        return WorkspaceResult.Ok(workspaceId);
    }

    /// <summary>A new Trial workspace with the user as its Owner, chosen at once.</summary>
    public async Task<WorkspaceResult<int>> CreateAsync(ClaimsPrincipal user, string? name, CancellationToken ct = default)
    {
        if (WorkspaceRules.ValidateName(name) is { } error) return WorkspaceResult.Fail<int>(error);
        var actor = Actor.From(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var workspace = workspaces.Add(db, name!, UserId(user), actor);
        await db.SaveChangesAsync(ct);
        db.Record(workspace.Id, actor, "workspace.created", $"Workspace \"{workspace.Name}\" created on {workspace.Plan}");
        await db.SaveChangesAsync(ct);
        await RememberAsync(db, UserId(user), workspace.Id, ct);
        await transaction.CommitAsync(ct);
        return WorkspaceResult.Ok(workspace.Id);
    }

    public async Task<WorkspaceResult<string>> RenameAsync(ClaimsPrincipal user, int workspaceId, string? name, CancellationToken ct = default)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.ManageWorkspace)) return WorkspaceResult.Fail<string>(NotAllowedToRename);
        if (WorkspaceRules.ValidateName(name) is { } error) return WorkspaceResult.Fail<string>(error);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceId, ct);
        var previous = workspace.Name;
        workspace.Name = name!.Trim();
        if (workspace.Name == previous) return WorkspaceResult.Ok(previous);
        db.Record(workspaceId, Actor.From(user), "workspace.renamed", $"Workspace renamed from \"{previous}\" to \"{workspace.Name}\"");
        await db.SaveChangesAsync(ct);
        notifier.Publish(workspaceId);
        return WorkspaceResult.Ok(workspace.Name);
    }

    /// <summary>Stores the choice on the user; the caller has checked the membership.</summary>
    public static Task RememberAsync(AppDbContext db, string userId, int workspaceId, CancellationToken ct) =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.CurrentWorkspaceId, workspaceId), ct);

    private static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No signed-in user.");
}
