using Npgsql;

namespace WorkspaceApp.Tests.Infrastructure;

/// <summary>An empty database of one test's own, deleted when disposed.</summary>
public interface ITestDatabase : IDisposable
{
    string ConnectionString { get; }
}

/// <summary>
/// A fresh database on the PostgreSQL server named by WORKSPACEAPP_TEST_POSTGRES (an admin connection string;
/// ./test.sh starts a throwaway server and sets it), dropped afterwards.
/// </summary>
public sealed class PostgresTestDatabase : ITestDatabase
{
    public const string ServerVariable = "WORKSPACEAPP_TEST_POSTGRES";

    private readonly string server;
    private readonly string name = $"workspaceapp_test_{Guid.NewGuid():N}";

    public PostgresTestDatabase()
    {
        // Not a skip: test.sh always provides a server, so a missing one is a broken setup and must fail.
        server = Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } value ? value : throw new InvalidOperationException(
            $"{ServerVariable} is not set: the PostgreSQL tests need a PostgreSQL server. ./test.sh starts one and sets it; " +
            "to run them by hand, set it to an admin connection string, e.g. \"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\".");
        Execute($"CREATE DATABASE \"{name}\"");
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    public void Dispose()
    {
        using (var connection = new NpgsqlConnection(ConnectionString)) NpgsqlConnection.ClearPool(connection);
        // FORCE: a connection the app has not given back yet must not keep the database alive.
        Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
