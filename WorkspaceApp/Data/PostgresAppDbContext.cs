using Microsoft.EntityFrameworkCore;

namespace WorkspaceApp.Data;

/// <summary>
/// The same model as <see cref="AppDbContext"/>, as a type of its own so that the PostgreSQL migrations
/// (Data/Migrations/Postgres) have their own [DbContext] and snapshot beside the SQLite ones (Data/Migrations).
/// It is registered only on PostgreSQL and only <see cref="DatabaseSetup.MigrateDatabaseAsync"/> uses it: the app
/// always works with AppDbContext. To change the schema, add the migration for both providers
/// (WorkspaceApp/Data/add-migration.sh Name runs both; generating a migration connects to no server):
///   dotnet ef migrations add Name --project WorkspaceApp --context AppDbContext --output-dir Data/Migrations
///   dotnet ef migrations add Name --project WorkspaceApp --context PostgresAppDbContext --output-dir Data/Migrations/Postgres
///     -- --Database:Provider=Postgres --ConnectionStrings:Default=Host=localhost
/// </summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);
