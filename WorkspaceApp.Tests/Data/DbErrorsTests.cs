using Microsoft.Data.Sqlite;
using Npgsql;
using WorkspaceApp.Data;

namespace WorkspaceApp.Tests.Data;

/// <summary>Which database errors mean "unavailable, answer 503 and retry" rather than "this statement was refused".</summary>
public sealed class DbErrorsTests
{
    [Theory]
    [InlineData(5, true)] // SQLITE_BUSY: another writer held the lock past the busy timeout
    [InlineData(6, true)] // SQLITE_LOCKED
    [InlineData(10, true)] // SQLITE_IOERR
    [InlineData(13, true)] // SQLITE_FULL: the disk is full
    [InlineData(14, true)] // SQLITE_CANTOPEN
    [InlineData(19, false)] // SQLITE_CONSTRAINT: a refused statement, not an outage
    [InlineData(1, false)] // SQLITE_ERROR
    public void Sqlite_errors(int code, bool unavailable) =>
        Assert.Equal(unavailable, new InvalidOperationException("wrapped", new SqliteException("error", code)).IsUnavailable());

    [Theory]
    [InlineData("57P01", true)] // admin_shutdown: pg_terminate_backend, a restart
    [InlineData("57P03", true)] // cannot_connect_now: starting up
    [InlineData("55000", true)] // database is not currently accepting connections
    [InlineData("08006", true)] // connection_failure
    [InlineData("53300", true)] // too_many_connections
    [InlineData("23502", false)] // not_null_violation
    [InlineData("23505", false)] // unique_violation
    public void Postgres_errors(string sqlState, bool unavailable) =>
        Assert.Equal(unavailable, new PostgresException("error", "FATAL", "FATAL", sqlState).IsUnavailable());

    [Fact]
    public void A_server_that_never_answered_is_unavailable() =>
        Assert.True(new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException()).IsUnavailable());
}
