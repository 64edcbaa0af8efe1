using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using UsageBench;
using WorkspaceApp.Features.Usage;

// Records to seed (default 1,000,000, one year of traffic of one workspace).
var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var today = DateOnly.FromDateTime(BenchRun.Now);
UsageRange[] ranges = [UsageRange.Last(30, today, "30d"), UsageRange.Last(90, today, "90d"), UsageRange.Last(365, today)];

Console.WriteLine($"The Usage page's queries on {count:N0} usage records over a year (one workspace, {Seeder.Keys} keys, 4 models)");
Console.WriteLine($".NET {Environment.Version}, {Environment.ProcessorCount} cores; milliseconds, median of 5 runs after a warm-up (CSV: one run)");
Console.WriteLine();
Console.WriteLine("open days: today's records summed per key and model (part of every report); per day/key/model: the GROUP BY over the daily sums");
Console.WriteLine($"{"provider",-10} {"range",5} {"records",9} {"open days",9} {"per day",9} {"per key",9} {"per model",9} {"burn rate",9} {"CSV 1,000",10} {"CSV all",10} {"CSV rows/s",11}");

var directory = Directory.CreateTempSubdirectory("usage-bench-").FullName;
try
{
    var (sqlite, seed) = await BenchRun.CreateAsync("Sqlite", $"Data Source={Path.Combine(directory, "bench.db")}", count);
    Console.WriteLine($"(SQLite seeded in {seed.TotalSeconds:F1} s, file and log {Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length) / 1024.0 / 1024.0:F0} MB)");
    await ReportCatchUpAsync(sqlite);
    foreach (var range in ranges) await sqlite.MeasureAsync(range);
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}

if (Environment.GetEnvironmentVariable("WORKSPACEAPP_TEST_POSTGRES") is { Length: > 0 } server)
{
    var name = $"usage_bench_{Guid.NewGuid():N}";
    await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"");
    try
    {
        var (postgres, seed) = await BenchRun.CreateAsync("Postgres", new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, count);
        Console.WriteLine($"(PostgreSQL seeded in {seed.TotalSeconds:F1} s)");
        await ReportCatchUpAsync(postgres);
        foreach (var range in ranges) await postgres.MeasureAsync(range);
    }
    finally
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }
}
else
{
    Console.WriteLine("(PostgreSQL skipped: set WORKSPACEAPP_TEST_POSTGRES to an admin connection string to include it)");
}

static async Task ReportCatchUpAsync(BenchRun run)
{
    var (ms, slowest, rows) = await run.CatchUpAsync();
    Console.WriteLine($"(once after an upgrade, in the background: a year of closed days summed into {rows:N0} daily rows in {ms / 1000:F1} s, slowest 31-day transaction {slowest:F0} ms)");
}

static async Task ExecuteAsync(string server, string sql)
{
    await using var connection = new NpgsqlConnection(server);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
