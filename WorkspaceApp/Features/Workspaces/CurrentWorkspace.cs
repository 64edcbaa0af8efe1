using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace WorkspaceApp.Features.Workspaces;

/// <summary>The signed-in user and their workspace, for interactive components (scoped to the circuit).</summary>
/// <remarks>
/// The workspace is fixed for the circuit once resolved: switching (in this or another tab) reloads the page, so
/// a page and its live updates never mix two workspaces. Membership is read again on every call, so a user removed
/// from the workspace gets null at once instead of quietly moving to another workspace's data.
/// </remarks>
public sealed class CurrentWorkspace(AuthenticationStateProvider authentication, WorkspaceService workspaces)
{
    private int? workspaceId;

    public async Task<ClaimsPrincipal> GetUserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<WorkspaceSummary?> GetAsync(CancellationToken ct = default)
    {
        var userId = (await GetUserAsync()).FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is null) return null;
        if (workspaceId is { } id) return await workspaces.FindForUserAsync(userId, id, ct);
        var workspace = await workspaces.FindForUserAsync(userId, ct);
        workspaceId = workspace?.Id;
        return workspace;
    }

    /// <summary>True once this circuit showed a workspace the user has since lost (removed, or left in another tab).</summary>
    public async Task<bool> LostAccessAsync(CancellationToken ct = default) => workspaceId is not null && await GetAsync(ct) is null;
}
