using System.Security.Claims;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Usage;

/// <summary>
/// GET /usage/export.csv?from=&amp;to= (or ?range=30d): the signed-in member's usage records of the range, one row per
/// request, streamed from the database to the response as they are read.
/// </summary>
internal static class UsageExportEndpoint
{
    public static async Task<IResult> HandleAsync(
        ClaimsPrincipal user, UsageService usage, WorkspaceService workspaces,
        string? range, string? from, string? to, int? workspace, CancellationToken ct)
    {
        if (!UsageRange.TryParse(range, from, to, usage.Today, out var parsed, out var error))
        {
            return TypedResults.Text(error, statusCode: StatusCodes.Status400BadRequest);
        }
        var workspaceId = workspace ?? (user.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId
            ? (await workspaces.FindForUserAsync(userId, ct))?.Id : null);
        // Not a member: the same answer as for a workspace that does not exist.
        if (workspaceId is not { } id || await usage.ExportAsync(user, id, parsed, ct) is not { } rows)
        {
            return TypedResults.NotFound();
        }
        return TypedResults.Stream(body => UsageCsv.WriteAsync(body, rows, ct), "text/csv; charset=utf-8", parsed.FileName);
    }
}
