using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace WorkspaceApp.Data;

public static class DbErrors
{
    private const int SqliteConstraintUnique = 2067; // SQLITE_CONSTRAINT_UNIQUE
    private const int SqliteConstraintPrimaryKey = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY

    /// <summary>True when a unique index or key refused the save (a concurrent writer got there first), on either provider.</summary>
    public static bool IsUniqueViolation(this DbUpdateException ex) => ex.InnerException switch
    {
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey,
        _ => false,
    };

    /// <summary>
    /// True when the database cannot serve right now, as opposed to refusing a statement: the connection was lost or
    /// refused (PostgreSQL restarted, connection terminated, connections not allowed), or SQLite stayed busy or failed
    /// to read or write its file. Such a request is answered 503 and may be retried; nothing was written.
    /// </summary>
    public static bool IsUnavailable(this Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException postgres:
                    // 08 connection exception, 53 insufficient resources, 57P operator intervention (terminated,
                    // shutting down, starting up), 55000 "database is not currently accepting connections".
                    if (postgres.IsTransient || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
                        || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState) return true;
                    break;
                case NpgsqlException: // not a PostgresException: the server never answered (socket, timeout, refused)
                    return true;
                case SqliteException sqlite when sqlite.SqliteErrorCode is SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoErr or SqliteFull or SqliteCantOpen:
                    return true;
            }
        }
        return false;
    }

    private const int SqliteBusy = 5, SqliteLocked = 6, SqliteReadOnly = 8, SqliteIoErr = 10, SqliteFull = 13, SqliteCantOpen = 14;
}
