using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Api;

/// <summary>The workspace and key a /v1 request runs as, set by <see cref="ApiKeyAuthentication"/>.</summary>
public sealed record ApiCaller(int ApiKeyId, int WorkspaceId);

/// <summary>
/// Authenticates every /v1 request by its bearer key (checksum first, then one indexed lookup), then applies the
/// rate limits and gates on the plan: unknown key 401 invalid_api_key, revoked or rotated (past its grace period) 401 key_revoked, expired
/// 401 key_expired (all 429
/// once the client IP failed too often), over the key's or workspace's budget 429, Trial 403 plan_no_api_access.
/// </summary>
public sealed class ApiKeyAuthentication(
    ApiKeyResolver resolver,
    IDbContextFactory<AppDbContext> dbFactory,
    LastUsedTracker lastUsed,
    ApiRateLimits limits,
    TimeProvider clock) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var resolution = BearerKey(http.Request) is { } key ? await resolver.ResolveAsync(key, http.RequestAborted) : null;
        var status = resolution?.StatusAt(clock.GetUtcNow().UtcDateTime);
        if (resolution is null || status != ApiKeyResolutionStatus.Valid)
        {
            return limits.RejectFailedAuthentication(http) ?? status switch
            {
                ApiKeyResolutionStatus.Revoked => ApiErrors.KeyRevoked(),
                ApiKeyResolutionStatus.Expired => ApiErrors.KeyExpired(),
                _ => ApiErrors.InvalidApiKey(),
            };
        }
        var (keyId, workspaceId) = (resolution.KeyId!.Value, resolution.WorkspaceId!.Value);
        if (limits.RejectCaller(http, new ApiCaller(keyId, workspaceId)) is { } limited) return limited;

        await using (var db = await dbFactory.CreateDbContextAsync(http.RequestAborted))
        {
            var plan = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.Plan).FirstAsync(http.RequestAborted);
            if (plan != WorkspacePlan.Pro) return ApiErrors.PlanNoApiAccess();
        }

        lastUsed.Touch(keyId, clock.GetUtcNow().UtcDateTime);
        http.Items[typeof(ApiCaller)] = new ApiCaller(keyId, workspaceId);
        return await next(context);
    }

    public static string? BearerKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }

    public static ApiCaller Caller(HttpContext http) => (ApiCaller)http.Items[typeof(ApiCaller)]!;
}
