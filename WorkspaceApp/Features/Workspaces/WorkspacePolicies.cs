using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Account;
using WorkspaceApp.Features.Audit;

namespace WorkspaceApp.Features.Workspaces;

/// <summary>Resource-based policies: "may this user do X in workspace N?".</summary>
public static class WorkspacePolicies
{
    public const string View = "workspace:view";
    public const string ManageBilling = "workspace:manage-billing";
    public const string ManageApiKeys = "workspace:manage-api-keys";
    public const string ManageWorkspace = "workspace:manage";

    public static void AddWorkspacePolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(View, p => p.AddRequirements(new WorkspaceRoleRequirement(WorkspaceRole.Owner, WorkspaceRole.Admin, WorkspaceRole.Member)));
        // Spending money and holding keys also need two-factor sign-in when the workspace requires it.
        options.AddPolicy(ManageBilling, p => p.AddRequirements(new WorkspaceRoleRequirement(WorkspaceRole.Owner, WorkspaceRole.Admin), TwoFactorRequirement.Instance));
        options.AddPolicy(ManageApiKeys, p => p.AddRequirements(new WorkspaceRoleRequirement(WorkspaceRole.Owner, WorkspaceRole.Admin), TwoFactorRequirement.Instance));
        // Members, invitations and the workspace's name; what only an Owner may do is checked by the members service.
        options.AddPolicy(ManageWorkspace, p => p.AddRequirements(new WorkspaceRoleRequirement(WorkspaceRole.Owner, WorkspaceRole.Admin)));
    }
}

public sealed record WorkspaceRef(int Id);

public sealed class WorkspaceRoleRequirement(params WorkspaceRole[] roles) : IAuthorizationRequirement
{
    public IReadOnlyList<WorkspaceRole> Roles { get; } = roles;
}

internal sealed class WorkspaceRoleHandler(IDbContextFactory<AppDbContext> dbFactory)
    : AuthorizationHandler<WorkspaceRoleRequirement, WorkspaceRef>
{
    protected override async Task HandleRequirementAsync(
        AuthorizationHandlerContext context, WorkspaceRoleRequirement requirement, WorkspaceRef workspace)
    {
        if (Actor.IsOperator(context.User))
        {
            context.Succeed(requirement);
            return;
        }
        var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return;

        await using var db = await dbFactory.CreateDbContextAsync();
        var role = await db.Set<WorkspaceMember>()
            .Where(m => m.WorkspaceId == workspace.Id && m.UserId == userId)
            .Select(m => (WorkspaceRole?)m.Role)
            .FirstOrDefaultAsync();
        if (role is { } r && requirement.Roles.Contains(r)) context.Succeed(requirement);
    }
}

/// <summary>The check every service method runs before acting; the UI hiding a button is never enough.</summary>
public sealed class WorkspaceAccess(IAuthorizationService authorization)
{
    public async Task<bool> IsAllowedAsync(ClaimsPrincipal user, int workspaceId, string policy) =>
        (await authorization.AuthorizeAsync(user, new WorkspaceRef(workspaceId), policy)).Succeeded;

    /// <summary>Null when allowed; else why not: the two-factor message when the role is right but two-factor sign-in is missing.</summary>
    public async Task<string?> RefusalAsync(ClaimsPrincipal user, int workspaceId, string policy, string notAllowed)
    {
        var result = await authorization.AuthorizeAsync(user, new WorkspaceRef(workspaceId), policy);
        if (result.Succeeded) return null;
        var failed = result.Failure?.FailedRequirements.ToList() ?? [];
        return failed.Count > 0 && failed.All(r => r is TwoFactorRequirement) ? TwoFactorRequirement.Refused : notAllowed;
    }
}
