using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Api.Metering;

/// <summary>
/// Two app instances on one database (one clock, advanced by hand): starting, ticking and restarting instance B never
/// releases the live holds of instance A; the holds of an instance whose heartbeat is stale are released.
/// </summary>
public class InstanceHoldTests : IDisposable
{
    private const int Tick = 5; // MeterMaintenance's interval, seconds
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private readonly DatabaseProvider provider;
    private readonly ITestDatabase database;
    private readonly List<AppFactory> instances = [];

    public InstanceHoldTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected InstanceHoldTests(DatabaseProvider provider)
    {
        this.provider = provider;
        database = provider == DatabaseProvider.Postgres ? new PostgresTestDatabase() : new TempDatabase();
    }

    [Fact]
    public async Task Another_instance_starting_ticking_and_restarting_never_releases_a_live_hold_but_releases_a_dead_ones()
    {
        var a = Start();
        var workspaceId = (await ApiWorkspace.CreateAsync(a, credits: 10)).Owner.WorkspaceId;
        var liveHold = await a.Services.GetRequiredService<MeterWriter>().RunAsync(new HoldOp(workspaceId, 1, 1_000_000));
        Assert.NotNull(liveHold);
        // An instance that died two minutes ago holding 2 credits.
        await using (var db = OpenDatabase())
        {
            var longAgo = clock.GetUtcNow().UtcDateTime.AddMinutes(-2);
            db.AppInstances.Add(new AppInstance { Id = "dead", StartedAtUtc = longAgo, LastSeenAtUtc = longAgo });
            db.CreditHolds.Add(new CreditHold { WorkspaceId = workspaceId, ApiKeyId = 1, AmountMicros = 2_000_000, CreatedAtUtc = longAgo, InstanceId = "dead" });
            await db.SaveChangesAsync();
            await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteUpdateAsync(w => w.SetProperty(x => x.HeldMicros, x => x.HeldMicros + 2_000_000));
        }

        // B starts: the dead instance's hold goes, A's stays.
        var b = Start();
        Assert.Equal([liveHold.Value], await HoldsAsync());
        Assert.Equal(1_000_000, await HeldAsync(workspaceId));

        // Both run for longer than the instance timeout (60 s) and B restarts: A beats, so its hold stays.
        await RunTicksAsync(14, a, b);
        b.Dispose();
        b = Start();
        await RunTicksAsync(14, a, b);
        Assert.Equal([liveHold.Value], await HoldsAsync());
        Assert.Equal(1_000_000, await HeldAsync(workspaceId));

        // A stops beating (gone): once its heartbeat is older than the timeout, B releases its hold.
        a.Dispose();
        await RunTicksAsync(13, b);
        Assert.Empty(await HoldsAsync());
        Assert.Equal(0, await HeldAsync(workspaceId));
        var verify = await b.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task An_instance_with_a_configured_id_releases_its_previous_runs_holds_when_it_starts_again()
    {
        var first = Start("web-1");
        var workspaceId = (await ApiWorkspace.CreateAsync(first, credits: 10)).Owner.WorkspaceId;
        Assert.NotNull(await first.Services.GetRequiredService<MeterWriter>().RunAsync(new HoldOp(workspaceId, 1, 1_000_000)));
        Assert.Equal("web-1", first.Services.GetRequiredService<AppInstanceIdentity>().Id);
        var other = Start(); // another instance, unnamed: a new id
        Assert.NotEqual("web-1", other.Services.GetRequiredService<AppInstanceIdentity>().Id);
        first.Dispose(); // its request never settles

        // A second later (far from any timeout) the same name again: its previous run's hold is a leftover.
        clock.Advance(TimeSpan.FromSeconds(1));
        Start("web-1");
        Assert.Empty(await HoldsAsync());
        Assert.Equal(0, await HeldAsync(workspaceId));
    }

    private AppFactory Start(string? instanceId = null)
    {
        var app = new ServicesAppFactory(provider, services => services.AddSingleton<TimeProvider>(clock))
            .With("ConnectionStrings:Default", database.ConnectionString)
            .With("App:InstanceId", instanceId);
        instances.Add(app);
        _ = app.Services; // starts the host: migrations, then MeterMaintenance's startup tick
        return app;
    }

    // Advances the shared clock one maintenance interval at a time, each time until every running instance beat.
    private async Task RunTicksAsync(int ticks, params AppFactory[] running)
    {
        var ids = running.Select(app => app.Services.GetRequiredService<AppInstanceIdentity>().Id).ToList();
        for (var i = 0; i < ticks; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(Tick));
            var now = clock.GetUtcNow().UtcDateTime;
            await Eventually.WaitAsync(async () =>
            {
                await using var db = OpenDatabase();
                return await db.AppInstances.CountAsync(x => ids.Contains(x.Id) && x.LastSeenAtUtc >= now) == ids.Count;
            }, TimeSpan.FromSeconds(10), "every running instance wrote its heartbeat");
        }
    }

    private async Task<List<long>> HoldsAsync()
    {
        await using var db = OpenDatabase();
        return await db.CreditHolds.Select(h => h.Id).ToListAsync();
    }

    private async Task<long> HeldAsync(int workspaceId)
    {
        await using var db = OpenDatabase();
        return await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.HeldMicros).SingleAsync();
    }

    private AppDbContext OpenDatabase()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        new AppDatabase(provider, database.ConnectionString).Configure(options);
        return new AppDbContext(options.Options);
    }

    public void Dispose()
    {
        foreach (var app in instances) app.Dispose();
        database.Dispose();
        GC.SuppressFinalize(this);
    }
}
