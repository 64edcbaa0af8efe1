using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Metering;

namespace WorkspaceApp.Features.Health;

/// <summary>
/// /healthz (readiness): Healthy (200) only while the database answers and the credit meter's writer runs and reaches it;
/// otherwise Unhealthy (503), so a load balancer or orchestrator stops sending traffic. Both checks are cheap:
/// one pooled connection test and an in-memory flag. /healthz/live (liveness): the process answers, no check at all,
/// so an orchestrator does not restart an instance that merely waits for its database; also the benchmark's baseline.
/// </summary>
public static class HealthRegistration
{
    public static void AddAppHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>("database")
            .AddCheck<MeterHealthCheck>("meter");

    public static void MapAppHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/healthz");
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false });
    }
}

/// <summary>Unhealthy once the writer loop ended or while its last attempt to reach the database failed.</summary>
public sealed class MeterHealthCheck(MeterWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(writer.IsHealthy
            ? HealthCheckResult.Healthy("The credit meter writes.")
            : HealthCheckResult.Unhealthy("The credit meter cannot reach the database."));
}
