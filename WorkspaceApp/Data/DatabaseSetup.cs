using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace WorkspaceApp.Data;

public static class DatabaseSetup
{
    public const string DefaultConnectionString = "Data Source=data/workspace.db";

    /// <summary>Registers AppDbContext on SQLite; a relative file path is resolved against the content root.</summary>
    public static void AddAppDatabase(this IHostApplicationBuilder builder)
    {
        var connectionString = ResolveSqlitePath(
            builder.Configuration.GetConnectionString("Default") ?? DefaultConnectionString,
            builder.Environment.ContentRootPath);
        // The factory serves Blazor components and services (one context per operation);
        // it also registers a scoped AppDbContext, which Identity's stores use.
        builder.Services.AddDbContextFactory<AppDbContext>(options => options.UseSqlite(connectionString));
    }

    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers (the Billing page) run while API traffic writes.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    internal static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(csb.DataSource) || csb.DataSource == ":memory:" || csb.Mode == SqliteOpenMode.Memory)
        {
            return connectionString;
        }
        var path = Path.GetFullPath(csb.DataSource, contentRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        csb.DataSource = path;
        // Wait for a writer instead of failing at once with "database is locked".
        if (csb.DefaultTimeout < 30) csb.DefaultTimeout = 30;
        return csb.ToString();
    }
}
