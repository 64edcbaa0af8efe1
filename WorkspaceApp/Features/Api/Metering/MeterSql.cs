using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// The writer's connection with its commands kept prepared across batches (the hot path runs the same few
/// statements thousands of times). Plain SQL with quoted names and RETURNING: SQLite and PostgreSQL alike.
/// </summary>
internal sealed class MeterSql(AppDbContext db, string instanceId) : IAsyncDisposable
{
    private readonly DbConnection connection = db.Database.GetDbConnection();
    private readonly Dictionary<string, DbCommand> commands = new(StringComparer.Ordinal);
    private DbTransaction? transaction;

    /// <summary>The instance this writer runs in: holds it creates carry this id.</summary>
    public string InstanceId => instanceId;

    /// <summary>A connection of the writer's own, open; disposing the MeterSql closes it.</summary>
    public static async Task<MeterSql> OpenAsync(IDbContextFactory<AppDbContext> dbFactory, string instanceId)
    {
        var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        try
        {
            await db.Database.GetDbConnection().OpenAsync(CancellationToken.None);
            return new MeterSql(db, instanceId);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>False once the server dropped the connection (restart, pg_terminate_backend): it must be replaced.</summary>
    public bool IsOpen => connection.State == ConnectionState.Open;

    /// <summary>
    /// Begins the batch transaction; unless <paramref name="durable"/>, its commit does not wait for the disk (SQLite
    /// synchronous=NORMAL instead of FULL in WAL mode, PostgreSQL synchronous_commit off): it survives the process
    /// crashing, not a power cut, until the next durable commit flushes the log with it.
    /// </summary>
    public async Task<DbTransaction> BeginAsync(bool durable)
    {
        transaction = null;
        if (connection is SqliteConnection && synchronousFull != durable)
        {
            await ExecuteAsync(durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            synchronousFull = durable;
        }
        transaction = await connection.BeginTransactionAsync();
        if (!durable && connection is not SqliteConnection) await ExecuteAsync("SET LOCAL synchronous_commit = off");
        return transaction;
    }

    private bool? synchronousFull; // the SQLite connection's setting, once set here

    public async Task<int> ExecuteAsync(string sql, params object?[] values) =>
        await Command(sql, values).ExecuteNonQueryAsync();

    /// <summary>The first column of the first row, or null when there is no row.</summary>
    public async Task<long?> ScalarAsync(string sql, params object?[] values) =>
        await Command(sql, values).ExecuteScalarAsync() is { } value and not DBNull ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>
    /// Applies <paramref name="ops"/> in order; where the database takes batches (PostgreSQL) the operations that have
    /// a single-statement form go first, all in one round trip, instead of one round trip per statement.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<MeterOp> ops, DateTime nowUtc)
    {
        if (!connection.CanCreateBatch)
        {
            foreach (var op in ops) await op.ApplyAsync(this, nowUtc);
            return;
        }
        var batched = new List<(MeterOp Op, OneStatement Statement)>(ops.Count);
        var alone = new List<MeterOp>();
        foreach (var op in ops)
        {
            if (op.AsOneStatement(nowUtc, instanceId) is { } statement) batched.Add((op, statement));
            else alone.Add(op);
        }
        if (batched.Count > 0) await RunBatchAsync(batched, nowUtc);
        foreach (var op in alone) await op.ApplyAsync(this, nowUtc);
    }

    private async Task RunBatchAsync(List<(MeterOp Op, OneStatement Statement)> batched, DateTime nowUtc)
    {
        var rows = new object?[]?[batched.Count];
        await using (var batch = connection.CreateBatch())
        {
            batch.Transaction = transaction;
            foreach (var (_, statement) in batched)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = statement.Sql;
                for (var i = 0; i < statement.Values.Length; i++)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = $"p{i}";
                    parameter.Value = statement.Values[i] ?? DBNull.Value;
                    command.Parameters.Add(parameter);
                }
                batch.BatchCommands.Add(command);
            }
            await using var reader = await batch.ExecuteReaderAsync();
            for (var i = 0; i < batched.Count; i++)
            {
                if (i > 0) await reader.NextResultAsync();
                if (!await reader.ReadAsync()) continue;
                rows[i] = new object?[reader.FieldCount];
                reader.GetValues(rows[i]!);
            }
        }
        for (var i = 0; i < batched.Count; i++) await batched[i].Statement.FinishAsync(rows[i], this, nowUtc);
    }

    /// <summary>The holds a condition on "CreditHolds" selects, its parameters named @p0, @p1, ...</summary>
    public async Task<List<(long Id, int WorkspaceId, long Amount)>> HoldsWhereAsync(string condition, params object?[] values)
    {
        var rows = new List<(long, int, long)>();
        await using var reader = await Command(
            "SELECT \"Id\", \"WorkspaceId\", \"AmountMicros\" FROM \"CreditHolds\" WHERE " + condition, values).ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2)));
        return rows;
    }

    // Parameters are named @p0, @p1, ... in the order of the values.
    private DbCommand Command(string sql, object?[] values)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = $"@p{i}";
                command.Parameters.Add(parameter);
            }
            commands[sql] = command;
        }
        command.Transaction = transaction;
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in commands.Values) await command.DisposeAsync();
        await db.DisposeAsync();
    }
}
