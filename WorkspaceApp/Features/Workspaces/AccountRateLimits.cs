using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace WorkspaceApp.Features.Workspaces;

/// <summary>Sign-in and sign-up attempts per client IP ("Account" section).</summary>
public sealed class AccountRateLimitOptions
{
    public const string Section = "Account";

    [Range(1, int.MaxValue, ErrorMessage = "Account:AttemptsPerIp must be a whole number of at least 1.")]
    public int AttemptsPerIp { get; set; } = 20;

    [Range(1, int.MaxValue, ErrorMessage = "Account:AttemptWindowSeconds must be a whole number of at least 1.")]
    public int AttemptWindowSeconds { get; set; } = 60;
}

/// <summary>
/// Throttles POST /Account/Login and POST /Account/Register per client IP (each form its own budget). Password
/// guessing from one address is slowed down here, before the per-account lockout, so a stranger cannot lock a user
/// out at will; mass sign-ups are slowed down the same way. Past the budget: 429 with a short page and Retry-After.
/// </summary>
public static class AccountRateLimits
{
    private static readonly string[] Forms = ["/Account/Login", "/Account/Register"];

    public static void AddAccountRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountRateLimitOptions>().BindConfiguration(AccountRateLimitOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!HttpMethods.IsPost(http.Request.Method) || FormOf(http) is not { } form) return RateLimitPartition.GetNoLimiter("");
                var limits = http.RequestServices.GetRequiredService<IOptions<AccountRateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter($"{form} {http.Connection.RemoteIpAddress}", _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.AttemptsPerIp,
                    Window = TimeSpan.FromSeconds(limits.AttemptWindowSeconds),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = RejectAsync;
        });
    }

    private static string? FormOf(HttpContext http) =>
        Forms.FirstOrDefault(form => http.Request.Path.Equals(form, StringComparison.OrdinalIgnoreCase));

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken ct)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        response.ContentType = "text/html; charset=utf-8";
        var back = WebUtility.HtmlEncode(context.HttpContext.Request.Path.Value);
        await response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>Too many attempts</title><p>Too many sign-in or registration attempts from your network. " +
            $"Please wait a minute, then <a href=\"{back}\">try again</a>.</p>", ct);
    }
}
