using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Account;

/// <summary>
/// Part of the policies that spend money or hold keys (ManageBilling, ManageApiKeys): when the workspace requires
/// two-factor sign-in, a member without it is refused, by every service method that checks those policies.
/// </summary>
public sealed class TwoFactorRequirement : IAuthorizationRequirement
{
    public static readonly TwoFactorRequirement Instance = new();

    public const string Refused = "This workspace requires two-factor sign-in for owners and admins. Set up an authenticator app first (Account > Two-factor authentication).";
}

internal sealed class TwoFactorRequirementHandler(IDbContextFactory<AppDbContext> dbFactory)
    : AuthorizationHandler<TwoFactorRequirement, WorkspaceRef>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, TwoFactorRequirement requirement, WorkspaceRef workspace)
    {
        // Left pending (not failed) when blocked, so that WorkspaceAccess can tell it apart from a missing role.
        if (Actor.IsOperator(context.User) || !await TwoFactorPolicy.BlocksAsync(dbFactory, context.User, workspace.Id))
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>The workspace setting "Require two-factor sign-in for Owners and Admins".</summary>
public sealed class TwoFactorPolicy(IDbContextFactory<AppDbContext> dbFactory, WorkspaceAccess access, WorkspaceChangeNotifier notifier)
{
    public const string NotAllowed = "Only workspace owners and admins can change the two-factor requirement.";

    /// <summary>True when the workspace requires two-factor sign-in and this user has not set it up.</summary>
    public Task<bool> MustSetUpAsync(ClaimsPrincipal user, int workspaceId) => BlocksAsync(dbFactory, user, workspaceId);

    public async Task<bool> IsRequiredAsync(int workspaceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.RequireTwoFactor).SingleAsync(ct);
    }

    /// <summary>Owners and admins only; with the requirement on, only those who have two-factor sign-in may turn it off.</summary>
    public async Task<string?> SetAsync(ClaimsPrincipal user, int workspaceId, bool required, CancellationToken ct = default)
    {
        if (await access.RefusalAsync(user, workspaceId, WorkspacePolicies.ManageBilling, NotAllowed) is { } refused) return refused;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == workspaceId, ct);
        if (workspace.RequireTwoFactor == required) return null;
        workspace.RequireTwoFactor = required;
        db.Record(workspaceId, Actor.From(user), "security.two-factor",
            required ? "Two-factor sign-in required for owners and admins" : "Two-factor sign-in no longer required");
        await db.SaveChangesAsync(ct);
        notifier.Publish(workspaceId);
        return null;
    }

    internal static async Task<bool> BlocksAsync(IDbContextFactory<AppDbContext> dbFactory, ClaimsPrincipal user, int workspaceId)
    {
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return true;
        await using var db = await dbFactory.CreateDbContextAsync();
        var required = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.RequireTwoFactor).FirstOrDefaultAsync();
        return required && !await db.Users.Where(u => u.Id == userId).Select(u => u.TwoFactorEnabled).FirstOrDefaultAsync();
    }
}
