using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Health;

/// <summary>/healthz is Healthy only while the database answers and the meter writer runs (the database-down case is in MeterOutageTests).</summary>
public sealed class HealthTests : IDisposable
{
    private readonly AppFactory app = new();

    [Fact]
    public async Task Healthy_while_everything_runs_and_unhealthy_once_the_meter_writer_stopped()
    {
        using var client = app.CreateClient();
        var healthy = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal("Healthy", await healthy.Content.ReadAsStringAsync());

        // The writer loop ends (as at shutdown): nothing will meter requests any more.
        await app.Services.GetRequiredService<MeterWriter>().StopAsync(CancellationToken.None);

        var unhealthy = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
        Assert.Equal("Unhealthy", await unhealthy.Content.ReadAsStringAsync());
        // Not ready, but alive: an orchestrator takes it out of rotation instead of restarting it.
        var live = await client.GetAsync("/healthz/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", await live.Content.ReadAsStringAsync());
    }

    public void Dispose() => app.Dispose();
}
