using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Api.Models;

namespace WorkspaceApp.Features.Api;

public static class ApiRegistration
{
    public static void AddWorkspaceApi(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<ApiOptions>(builder.Configuration.GetSection(ApiOptions.Section));
        builder.Services.Configure<PricingOptions>(builder.Configuration.GetSection(PricingOptions.Section));
        builder.Services.AddSingleton<TokenCounter>();
        builder.Services.AddSingleton<IChatModel>(sp => new EchoModel("echo-1", firstSentenceOnly: false, sp.GetRequiredService<TokenCounter>()));
        builder.Services.AddSingleton<IChatModel>(sp => new EchoModel("echo-1-mini", firstSentenceOnly: true, sp.GetRequiredService<TokenCounter>()));
        builder.Services.AddSingleton<ModelCatalog>();
        builder.Services.AddSingleton<LastUsedTracker>();
        builder.Services.AddSingleton<MeterWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MeterWriter>());
        builder.Services.AddHostedService<MeterMaintenance>();
        builder.Services.AddScoped<CreditGate>();
        builder.Services.AddScoped<ApiKeyAuthentication>();
        builder.Services.AddRateLimiter(options =>
        {
            options.AddPolicy(ApiEndpoints.RateLimitPolicy, http =>
            {
                var limits = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(PartitionKey(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.RateLimitPermits,
                    Window = TimeSpan.FromSeconds(limits.RateLimitWindowSeconds),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }
                await ApiErrors.RateLimited().ExecuteAsync(context.HttpContext);
            };
        });
    }

    // One budget per key; the partition holds a hash of the key, never the key itself.
    private static string PartitionKey(HttpContext http) =>
        ApiKeyAuthentication.BearerKey(http.Request) is { } key
            ? Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))
            : $"ip:{http.Connection.RemoteIpAddress}";
}
