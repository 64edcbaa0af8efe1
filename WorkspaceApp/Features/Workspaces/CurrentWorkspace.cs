using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace WorkspaceApp.Features.Workspaces;

/// <summary>The signed-in user and their workspace, for interactive components (scoped to the circuit).</summary>
public sealed class CurrentWorkspace(AuthenticationStateProvider authentication, WorkspaceService workspaces)
{
    public async Task<ClaimsPrincipal> GetUserAsync() => (await authentication.GetAuthenticationStateAsync()).User;

    public async Task<WorkspaceSummary?> GetAsync(CancellationToken ct = default)
    {
        var userId = (await GetUserAsync()).FindFirstValue(ClaimTypes.NameIdentifier);
        return userId is null ? null : await workspaces.FindForUserAsync(userId, ct);
    }
}
