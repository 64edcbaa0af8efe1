using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api.Metering;

/// <summary>A failing maintenance tick is logged and retried on the next one; the host keeps running.</summary>
public sealed class MeterMaintenanceTests : IDisposable
{
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly ServicesAppFactory app;

    public MeterMaintenanceTests() =>
        app = new ServicesAppFactory(DatabaseProvider.Sqlite, services => services.AddSingleton<TimeProvider>(clock));

    [Fact]
    public async Task A_tick_that_fails_is_retried_on_the_next_and_the_host_keeps_running()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        await using (var scope = app.CreateScope())
        {
            // A request that died holding 5 of 10 credits, and a fault: deleting a hold fails (a SQLite trigger).
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.CreditHolds.Add(new CreditHold { WorkspaceId = owner.WorkspaceId, ApiKeyId = 1, AmountMicros = 5_000_000, CreatedAtUtc = clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
            await db.Workspaces.Where(w => w.Id == owner.WorkspaceId).ExecuteUpdateAsync(w => w
                .SetProperty(x => x.BalanceMicros, 10_000_000).SetProperty(x => x.HeldMicros, 5_000_000));
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER fault BEFORE DELETE ON \"CreditHolds\" BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
        }

        // Past the hold timeout: the next tick tries to release the hold and fails.
        clock.Advance(TimeSpan.FromSeconds(600));
        await Eventually.WaitAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            return Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
                || app.Logs.Lines.Any(l => l.StartsWith("WorkspaceApp.Features.Api.Metering.MeterMaintenance: Credit meter maintenance failed", StringComparison.Ordinal)));
        }, TimeSpan.FromSeconds(20), "a maintenance tick failed");
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the failing tick stopped the host");
        Assert.Equal(1, await HoldsAsync());

        // The fault is gone: a later tick releases the hold, and the app still serves.
        await using (var scope = app.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.ExecuteSqlRawAsync("DROP TRIGGER fault;");
        }
        await Eventually.WaitAsync(async () =>
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            return await HoldsAsync() == 0;
        }, TimeSpan.FromSeconds(20), "the hold was released by a later tick");
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        await using var check = app.CreateScope();
        Assert.Equal(0, await check.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces
            .Where(w => w.Id == owner.WorkspaceId).Select(w => w.HeldMicros).SingleAsync());
    }

    private async Task<int> HoldsAsync()
    {
        await using var scope = app.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().CreditHolds.CountAsync();
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
