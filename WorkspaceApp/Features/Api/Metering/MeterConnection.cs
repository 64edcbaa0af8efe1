using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Api.Metering;

/// <summary>
/// The <see cref="MeterWriter"/>'s connection to the database: applies operations in one transaction, and replaces
/// the connection when the server dropped it (PostgreSQL restarted, pg_terminate_backend) or it could not be opened.
/// </summary>
internal sealed class MeterConnection(IDbContextFactory<AppDbContext> dbFactory, string instanceId, TimeProvider clock, ILogger logger) : IAsyncDisposable
{
    private MeterSql? sql;
    private volatile bool reachable = true;

    /// <summary>False while the last attempt to reach the database failed.</summary>
    public bool Reachable { get => reachable; private set => reachable = value; }

    /// <summary>
    /// Applies <paramref name="ops"/> in one transaction; null once committed, else why not. A connection lost before
    /// the commit is replaced and the operations applied once more. Once the commit was sent the outcome is unknown,
    /// so they are not applied again (a settlement applied twice would charge twice): they fail as unavailable and
    /// their holds are released (a no-op for a hold the commit already removed).
    /// </summary>
    public async Task<Exception?> TryCommitAsync(IReadOnlyList<MeterOp> ops)
    {
        for (var attempt = 1; ; attempt++)
        {
            var committing = false;
            try
            {
                sql ??= await MeterSql.OpenAsync(dbFactory, instanceId);
                await using var transaction = await sql.BeginAsync(MeterOp.AnyMustBeDurable(ops));
                var now = clock.GetUtcNow().UtcDateTime;
                await sql.ApplyAsync(ops, now);
                committing = true;
                await transaction.CommitAsync();
                Reachable = true;
                return null;
            }
            catch (Exception ex)
            {
                var lost = sql is not { IsOpen: true };
                if (!lost && !ex.IsUnavailable()) return ex; // a statement was refused; the connection is fine
                Reachable = false;
                if (lost) await DisposeAsync();
                if (!lost || committing || attempt > 1)
                {
                    logger.LogError(ex, "The credit meter cannot reach the database");
                    return new MeterUnavailableException(ex);
                }
                logger.LogWarning(ex, "The credit meter lost its database connection; reconnecting");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (sql is null) return;
        try
        {
            await sql.DisposeAsync();
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Closing the lost meter connection failed");
        }
        sql = null;
    }
}
