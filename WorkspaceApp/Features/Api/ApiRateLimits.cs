using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Api;

/// <summary>
/// The /v1 budgets, applied by <see cref="ApiKeyAuthentication"/> once it knows who is calling: failed
/// authentications per client IP (a forged key earns no budget of its own), and authenticated requests per key and
/// per workspace. Fixed windows from System.Threading.RateLimiting, one partition per IP, key and workspace.
/// </summary>
public sealed class ApiRateLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> failedAuthByIp;
    private readonly PartitionedRateLimiter<ApiCaller> callers;

    public ApiRateLimits(IOptions<ApiOptions> options)
    {
        var limits = options.Value;
        failedAuthByIp = PartitionedRateLimiter.Create<string, string>(ip =>
            RateLimitPartition.GetFixedWindowLimiter(ip, _ => Window(limits.FailedAuthPermitsPerIp, limits.FailedAuthWindowSeconds)));
        callers = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<ApiCaller, int>(caller =>
                RateLimitPartition.GetFixedWindowLimiter(caller.ApiKeyId, _ => Window(limits.RateLimitPermits, limits.RateLimitWindowSeconds))),
            PartitionedRateLimiter.Create<ApiCaller, int>(caller =>
                RateLimitPartition.GetFixedWindowLimiter(caller.WorkspaceId, _ => Window(limits.WorkspaceRateLimitPermits, limits.RateLimitWindowSeconds))));
    }

    /// <summary>Counts a failed authentication from <paramref name="http"/>'s IP: the 429 once over budget, else null.</summary>
    public IResult? RejectFailedAuthentication(HttpContext http)
    {
        // A missing address (in-process test host) is one partition like any other.
        using var lease = failedAuthByIp.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "");
        return lease.IsAcquired ? null : Rejected(http, lease, "Too many failed API key attempts from this address.");
    }

    /// <summary>Counts a request of an authenticated caller: the 429 once its key or workspace is over budget, else null.</summary>
    public IResult? RejectCaller(HttpContext http, ApiCaller caller)
    {
        using var lease = callers.AttemptAcquire(caller);
        return lease.IsAcquired ? null : Rejected(http, lease, "Too many requests for this API key or workspace.");
    }

    private static IResult Rejected(HttpContext http, RateLimitLease lease, string why)
    {
        if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            http.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        return ApiErrors.RateLimited(why);
    }

    private static FixedWindowRateLimiterOptions Window(int permits, int seconds) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromSeconds(seconds), QueueLimit = 0 };

    public void Dispose()
    {
        failedAuthByIp.Dispose();
        callers.Dispose();
    }
}
