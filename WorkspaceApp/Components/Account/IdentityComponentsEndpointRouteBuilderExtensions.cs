using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using WorkspaceApp.Components.Account;
using WorkspaceApp.Data;

namespace Microsoft.AspNetCore.Routing;

internal static class IdentityComponentsEndpointRouteBuilderExtensions
{
    // The log-out form posts here: signing out has to happen in an HTTP request, not in a circuit.
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var accountGroup = endpoints.MapGroup("/Account");

        accountGroup.MapPost("/Logout", async (
            HttpContext context,
            [FromServices] SignInManager<AppUser> signInManager,
            [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            var request = context.Request;
            // "~" puts the path base back in front.
            return TypedResults.LocalRedirect("~" + LocalUrls.ToLocalPath(returnUrl, $"{request.Scheme}://{request.Host}{request.PathBase}/"));
        });

        return accountGroup;
    }
}
