using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Metering;

namespace WorkspaceApp.Features.Health;

/// <summary>
/// /healthz: Healthy (200) only while the database answers and the credit meter's writer runs and reaches it;
/// otherwise Unhealthy (503), so a load balancer or orchestrator stops sending traffic. Both checks are cheap:
/// one pooled connection test and an in-memory flag.
/// </summary>
public static class HealthRegistration
{
    public static void AddAppHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>("database")
            .AddCheck<MeterHealthCheck>("meter");
}

/// <summary>Unhealthy once the writer loop ended or while its last attempt to reach the database failed.</summary>
public sealed class MeterHealthCheck(MeterWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(writer.IsHealthy
            ? HealthCheckResult.Healthy("The credit meter writes.")
            : HealthCheckResult.Unhealthy("The credit meter cannot reach the database."));
}
