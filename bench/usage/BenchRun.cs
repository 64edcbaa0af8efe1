using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Features.Workspaces;

namespace UsageBench;

/// <summary>One provider: a migrated database with the seeded year, and the Usage page's queries timed on it.</summary>
public sealed class BenchRun(string provider, IHost host, int workspaceId)
{
    private IDbContextFactory<AppDbContext> Factory => host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();

    public static async Task<(BenchRun Run, TimeSpan Seed)> CreateAsync(string provider, string connectionString, int count)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:Default"] = connectionString,
        });
        builder.AddAppDatabase();
        var host = builder.Build();
        await host.Services.MigrateDatabaseAsync();

        var seed = Stopwatch.StartNew();
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var workspace = new Workspace { Name = "Bench", Plan = WorkspacePlan.Pro, CreatedAtUtc = Seeder.End.AddYears(-1), TrialEndsAtUtc = Seeder.End.AddYears(-1) };
        db.Workspaces.Add(workspace);
        var keys = Enumerable.Range(0, Seeder.Keys).Select(i => ApiKeyFormat.Generate()).Select((key, i) => new ApiKey
        {
            Name = $"Key {i}", KeyHash = ApiKeyFormat.Hash(key), Hint = ApiKeyFormat.Hint(key), CreatedByName = "bench", CreatedAtUtc = Seeder.End.AddYears(-1),
        }).ToList();
        await db.SaveChangesAsync();
        foreach (var key in keys) key.WorkspaceId = workspace.Id;
        db.ApiKeys.AddRange(keys);
        await db.SaveChangesAsync();
        var keyIds = keys.Select(k => k.Id).ToArray();

        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        if (connection is SqliteConnection sqlite) await Seeder.SqliteAsync(sqlite, workspace.Id, keyIds, count);
        else await Seeder.PostgresAsync((NpgsqlConnection)connection, workspace.Id, keyIds, count);
        await connection.CloseAsync();
        return (new BenchRun(provider, host, workspace.Id), seed.Elapsed);
    }

    /// <summary>"Now" for the page: ten hours into the last seeded day, so today is open and every earlier day closed.</summary>
    public static readonly DateTime Now = Seeder.End.AddHours(-10);
    private static readonly DateOnly ClosedThrough = UsageRollup.ClosedThrough(Now);

    /// <summary>
    /// What the background service does once after an upgrade: sums a year of closed days, 31 days per transaction
    /// (later, one day a day). Returns the total time and the slowest transaction.
    /// </summary>
    public async Task<(double Ms, double SlowestMs, int Rows)> CatchUpAsync()
    {
        var total = Stopwatch.StartNew();
        var slowest = 0.0;
        DateOnly? mark;
        do
        {
            var step = Stopwatch.StartNew();
            mark = await WithDb(db => UsageRollup.CatchUpAsync(db, workspaceId, ClosedThrough, 31));
            slowest = Math.Max(slowest, step.Elapsed.TotalMilliseconds);
        }
        while (mark < ClosedThrough);
        return (total.Elapsed.TotalMilliseconds, slowest, await WithDb(db => db.Set<UsageDay>().CountAsync()));
    }

    /// <summary>Times each query for the range: median of 5 runs after one warm-up run; prints one line.</summary>
    public async Task MeasureAsync(UsageRange range)
    {
        var rows = await WithDb(db => UsageQueries.InRange(db, workspaceId, range).CountAsync());
        var sums = await Time(db => UsageQueries.DailySumsAsync(db, workspaceId, range, (DateOnly?)ClosedThrough));
        var days = await Time(async db => await UsageQueries.SpendPerDayAsync(await UsageQueries.DailySumsAsync(db, workspaceId, range, (DateOnly?)ClosedThrough))) - sums;
        var perKey = await Time(async db => await UsageQueries.PerKeyAsync(await UsageQueries.DailySumsAsync(db, workspaceId, range, (DateOnly?)ClosedThrough))) - sums;
        var perModel = await Time(async db => await UsageQueries.PerModelAsync(await UsageQueries.DailySumsAsync(db, workspaceId, range, (DateOnly?)ClosedThrough))) - sums;
        var burn = await Time(db => UsageQueries.SpendSinceAsync(db, workspaceId, Now.AddDays(-7)));
        var firstPage = await Time(db => UsageQueries.CsvRowsAsync(db, workspaceId, range).Take(1000).CountAsync().AsTask());
        // The whole export as the endpoint writes it, to a sink: streamed, so memory stays flat whatever the range.
        var csv = await Time(async db =>
        {
            await UsageCsv.WriteAsync(Stream.Null, UsageQueries.CsvRowsAsync(db, workspaceId, range), CancellationToken.None);
            return 0;
        }, runs: 1);
        Console.WriteLine($"{provider,-10} {range.Days,4}d {rows,9:N0} {sums,9:F0} {days,9:F0} {perKey,9:F0} {perModel,9:F0} {burn,9:F0} {firstPage,10:F0} {csv,10:F0} {rows / (csv / 1000),11:N0}");
    }

    private async Task<T> WithDb<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var db = await Factory.CreateDbContextAsync();
        return await query(db);
    }

    private async Task<double> Time<T>(Func<AppDbContext, Task<T>> query, int runs = 5)
    {
        await WithDb(query);
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await WithDb(query);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return times.Order().ElementAt(times.Count / 2);
    }
}
