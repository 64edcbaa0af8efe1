using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;

namespace KeysBench;

/// <summary>A migrated SQLite file in the temp folder holding <c>count</c> active keys, and the app's resolver on it.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string directory;
    private readonly IHost host;
    private readonly string[] keys;

    private BenchDatabase(string directory, IHost host, string[] keys, TimeSpan seedTime)
    {
        this.directory = directory;
        this.host = host;
        this.keys = keys;
        SeedTime = seedTime;
    }

    public TimeSpan SeedTime { get; }
    public double FileSizeMb => new FileInfo(Path.Combine(directory, "bench.db")).Length / 1024.0 / 1024.0;

    public static async Task<BenchDatabase> CreateAsync(int count)
    {
        var directory = Directory.CreateTempSubdirectory("keys-bench-").FullName;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Default"] = $"Data Source={Path.Combine(directory, "bench.db")}" });
        builder.AddAppDatabase();
        builder.Services.AddLogging();
        builder.Services.AddOptions<WorkspaceApp.Features.Api.ApiOptions>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<WorkspaceApp.Features.Workspaces.WorkspaceChangeNotifier>();
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddSingleton<ApiKeyResolver>();
        var host = builder.Build();
        await host.Services.MigrateDatabaseAsync();

        var seed = Stopwatch.StartNew();
        var keys = await SeedAsync(host.Services, count);
        return new BenchDatabase(directory, host, keys, seed.Elapsed);
    }

    /// <summary>The app's own resolver on a cache miss (the cache is emptied before each lookup): the database read.</summary>
    public async Task<Measurement> MeasureResolverAsync(int lookups)
    {
        var resolver = host.Services.GetRequiredService<ApiKeyResolver>();
        var cache = host.Services.GetRequiredService<ApiKeyCache>();
        return await MeasureAsync(lookups, async key =>
        {
            cache.Evict(null);
            return (await resolver.ResolveAsync(key)).Status;
        });
    }

    /// <summary>The resolver's query as plain LINQ (EF's query cache, no compiled query), to show what compiling saves.</summary>
    public async Task<Measurement> MeasurePlainLinqAsync(int lookups)
    {
        var factory = host.Services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        return await MeasureAsync(lookups, async key =>
        {
            if (!ApiKeyFormat.HasValidChecksum(key)) return ApiKeyResolutionStatus.Malformed;
            await using var db = await factory.CreateDbContextAsync();
            var hash = ApiKeyFormat.Hash(key);
            var match = await db.ApiKeys.AsNoTracking().Where(k => k.KeyHash == hash)
                .Select(k => new Row(k.Id, k.WorkspaceId, k.Name, k.Status)).FirstOrDefaultAsync();
            return match?.Status == ApiKeyStatus.Active ? ApiKeyResolutionStatus.Valid : ApiKeyResolutionStatus.Unknown;
        });
    }

    private sealed record Row(int Id, int WorkspaceId, string Name, ApiKeyStatus Status);

    private async Task<Measurement> MeasureAsync(int lookups, Func<string, Task<ApiKeyResolutionStatus>> resolve)
    {
        var random = new Random(42);
        // Warm-up for two seconds: tiered JIT reaches optimised code, the connection pool and page cache fill.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(2)) await ExpectValidAsync(keys[random.Next(keys.Length)]);
        var order = Enumerable.Range(0, lookups).Select(_ => keys[random.Next(keys.Length)]).ToArray();
        return await Measurement.TimeAsync(lookups, i => ExpectValidAsync(order[i]));

        async Task ExpectValidAsync(string key)
        {
            var status = await resolve(key);
            if (status != ApiKeyResolutionStatus.Valid) throw new InvalidOperationException($"A seeded key resolved {status}.");
        }
    }

    /// <summary>Inserts the keys with one prepared statement in one transaction; returns their plaintexts.</summary>
    private static async Task<string[]> SeedAsync(IServiceProvider services, int count)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO Workspaces (Name, Plan, CreatedAtUtc, TrialEndsAtUtc, BalanceMicros) VALUES ('Bench', 1, '2026-01-01 00:00:00', '2026-01-15 00:00:00', 0)");
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO ApiKeys (WorkspaceId, Name, KeyHash, Hint, Status, CreatedByName, CreatedAtUtc)
            VALUES ((SELECT max(Id) FROM Workspaces), $name, $hash, $hint, 0, 'bench', '2026-01-01 00:00:00')
            """;
        var name = insert.Parameters.Add("$name", SqliteType.Text);
        var hash = insert.Parameters.Add("$hash", SqliteType.Blob);
        var hint = insert.Parameters.Add("$hint", SqliteType.Text);
        insert.Prepare();
        var keys = new string[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = ApiKeyFormat.Generate();
            (name.Value, hash.Value, hint.Value) = ($"Key {i}", ApiKeyFormat.Hash(keys[i]), ApiKeyFormat.Hint(keys[i]));
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        await connection.CloseAsync();
        // Fold the write-ahead log into the file, so the measured size is the table's, and start from a clean cache.
        await using (var checkpoint = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            await checkpoint.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
        }
        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        if (host is IAsyncDisposable disposable) await disposable.DisposeAsync(); else host.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
