using System.Security.Claims;

namespace WorkspaceApp.Features.Audit;

/// <summary>Who performed an action: a signed-in user, or the operator through the ops command line.</summary>
public sealed record Actor(string? UserId, string Name)
{
    public const string OperatorClaim = "workspaceapp:operator";

    /// <summary>The principal the ops command line acts as; it only exists in that process.</summary>
    public static ClaimsPrincipal OperatorPrincipal { get; } =
        new(new ClaimsIdentity([new Claim(OperatorClaim, "true"), new Claim(ClaimTypes.Name, "ops")], "ops"));

    public static Actor From(ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier), user.Identity?.Name ?? "unknown");

    public static bool IsOperator(ClaimsPrincipal user) => user.HasClaim(OperatorClaim, "true");
}
