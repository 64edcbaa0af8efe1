using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using WorkspaceApp.Data;

namespace WorkspaceApp.Tests.Features.ApiKeys;

/// <summary>Records every command EF sends to the database, with its parameter values, to inspect what ran.</summary>
public sealed class CommandRecorder : DbCommandInterceptor
{
    public sealed record Command(string Text, IReadOnlyList<(string Name, object? Value)> Parameters);

    private readonly List<Command> commands = [];

    public IReadOnlyList<Command> Commands { get { lock (commands) return [.. commands]; } }

    /// <summary>A context factory on <paramref name="connectionString"/> that reports to this recorder.</summary>
    public IDbContextFactory<AppDbContext> FactoryFor(string connectionString) =>
        new PooledDbContextFactory<AppDbContext>(new DbContextOptionsBuilder<AppDbContext>()
            .UseSqlite(connectionString).AddInterceptors(this).Options);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return base.ReaderExecuting(command, eventData, result);
    }

    private void Record(DbCommand command)
    {
        var parameters = command.Parameters.Cast<DbParameter>().Select(p => (p.ParameterName, (object?)p.Value)).ToList();
        lock (commands) commands.Add(new Command(command.CommandText, parameters));
    }
}
