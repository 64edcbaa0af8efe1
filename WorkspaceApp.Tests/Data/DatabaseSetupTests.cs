using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Hosting;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Data;

public sealed class DatabaseSetupTests
{
    [Theory]
    [InlineData(null, DatabaseProvider.Sqlite)]
    [InlineData("", DatabaseProvider.Sqlite)]
    [InlineData("Sqlite", DatabaseProvider.Sqlite)]
    [InlineData("Postgres", DatabaseProvider.Postgres)]
    [InlineData(" postgres ", DatabaseProvider.Postgres)]
    public void The_provider_comes_from_Database_Provider_and_defaults_to_sqlite(string? setting, DatabaseProvider expected)
    {
        var database = Read(setting, expected == DatabaseProvider.Postgres ? "Host=db.internal;Database=workspaceapp;Username=app;Password=secret" : null);

        Assert.Equal(expected, database.Provider);
        if (expected == DatabaseProvider.Sqlite) Assert.EndsWith(Path.Combine("data", "workspace.db"), new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Host=db.internal;Database=workspaceapp;Username=app;Password=secret", 64)]
    [InlineData("Host=db.internal;Database=workspaceapp;Max Auto Prepare=0", 0)]
    [InlineData("Host=db.internal;Database=workspaceapp;maxautoprepare=8", 8)]
    public void Postgres_prepares_the_repeated_statements_unless_the_connection_string_says_otherwise(string connectionString, int expected)
    {
        var database = Read("Postgres", connectionString);

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString);
        Assert.Equal(expected, builder.MaxAutoPrepare);
        Assert.Equal("db.internal", builder.Host);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Data Source=data/workspace.db")]
    [InlineData("Port=5432;Database=workspaceapp")]
    public void Postgres_without_a_postgres_connection_string_stops_the_app_with_a_clear_error(string? connectionString)
    {
        var error = Assert.Throws<ConfigurationException>(() => Read("Postgres", connectionString));

        Assert.StartsWith("Database:Provider is Postgres: set ConnectionStrings:Default to a PostgreSQL connection string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_provider_is_named_in_the_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => Read("Oracle", null));
        Assert.Equal("Database:Provider \"Oracle\" is not supported: use Sqlite (the default) or Postgres.", error.Message);
    }

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task Each_provider_is_migrated_with_its_own_migrations_which_match_the_model(DatabaseProvider provider)
    {
        using var app = new AppFactory(provider);
        await using var scope = app.CreateScope(); // starting the app migrated the database
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        DbContext migrated = provider == DatabaseProvider.Postgres ? scope.ServiceProvider.GetRequiredService<PostgresAppDbContext>() : db;

        Assert.Equal(provider == DatabaseProvider.Postgres ? "Npgsql.EntityFrameworkCore.PostgreSQL" : "Microsoft.EntityFrameworkCore.Sqlite", db.Database.ProviderName);
        var migrations = migrated.Database.GetMigrations().ToList();
        Assert.NotEmpty(migrations);
        Assert.Equal(migrations, await migrated.Database.GetAppliedMigrationsAsync());
        Assert.False(migrated.Database.HasPendingModelChanges());
        if (provider == DatabaseProvider.Postgres)
        {
            // The SQLite set stays AppDbContext's: none of it ran here.
            Assert.Empty(migrations.Intersect(db.Database.GetMigrations()));
        }
        Assert.Equal(0, await db.Workspaces.CountAsync());
    }

    private static AppDatabase Read(string? provider, string? connectionString) =>
        DatabaseSetup.Read(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = provider,
                ["ConnectionStrings:Default"] = connectionString,
            }).Build(),
            Path.GetTempPath());
}
