using System.Globalization;
using Npgsql;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Workspaces;

/// <summary>
/// On PostgreSQL, carries workspace changes between instances: each instance LISTENs on a dedicated connection and
/// sends its own changes with NOTIFY workspace_changes, '&lt;workspaceId&gt;', so a Billing page served by instance B
/// follows API usage on instance A. Changes are sent at most every <see cref="SendInterval"/> per workspace (the
/// meter publishes once per committed batch). A lost connection is replaced with a growing delay; the host never
/// stops for it. On SQLite (one instance) it does nothing: the notifier is in-process.
/// </summary>
public sealed class PostgresChangeRelay(AppDatabase database, WorkspaceChangeNotifier notifier, ILogger<PostgresChangeRelay> logger) : BackgroundService
{
    public const string Channel = "workspace_changes";
    public const string ApplicationName = "workspaceapp-change-relay";
    private static readonly TimeSpan SendInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Provider != DatabaseProvider.Postgres) return;
        notifier.StartRelaying();
        notifier.SetReceivesAllChanges(false); // until the first LISTEN
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await ListenAsync(stoppingToken);
                // Changes made elsewhere while this instance did not listen (before its first LISTEN, or while the
                // connection was lost) were missed: cached key resolutions go, open pages reload once.
                notifier.DeliverToAll();
                notifier.SetReceivesAllChanges(true);
                retry = FirstRetry;
                await RelayAsync(connection, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                notifier.SetReceivesAllChanges(false);
                logger.LogWarning(ex, "Workspace changes are not relayed between instances (PostgreSQL unreachable); retrying in {Seconds} s", retry.TotalSeconds);
                try
                {
                    await Task.Delay(retry, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
            }
        }
    }

    private async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        // Its own unpooled connection (LISTEN is per session); keepalives notice a server that went away while idle.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Pooling = false, KeepAlive = 10, ApplicationName = ApplicationName,
        }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            connection.Notification += (_, e) =>
            {
                // Its own changes were delivered here already, when published.
                if (e.PID != connection.ProcessID && Parse(e.Payload) is { } change) notifier.Deliver(change.WorkspaceId, change.AccessChanged);
            };
            await using var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
            await listen.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // One connection, one thread: send what changed here, then wait (receiving the others' notifications) a while.
    private async Task RelayAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        while (true)
        {
            await SendAsync(connection, notifier, ct);
            await connection.WaitAsync(SendInterval, ct);
        }
    }

    private static async Task SendAsync(NpgsqlConnection connection, WorkspaceChangeNotifier notifier, CancellationToken ct)
    {
        var changed = notifier.TakeOutgoing();
        if (changed.Count == 0) return;
        await using var notify = new NpgsqlCommand($"SELECT pg_notify('{Channel}', @payload)", connection);
        var payload = new NpgsqlParameter<string>("payload", "");
        notify.Parameters.Add(payload);
        for (var i = 0; i < changed.Count; i++)
        {
            try
            {
                payload.TypedValue = Payload(changed[i].WorkspaceId, changed[i].AccessChanged);
                await notify.ExecuteNonQueryAsync(ct);
            }
            catch
            {
                notifier.Requeue(changed.Skip(i)); // sent after the reconnection
                throw;
            }
        }
    }

    /// <summary>
    /// Around an ops command in its own process (which runs no relay): collects the changes it makes, then sends them
    /// once, so that a key revoked from the command line is refused by the running instances at once, not only after
    /// Api:KeyCacheSeconds. Nothing on SQLite.
    /// </summary>
    public static async Task<T> RelayChangesOfAsync<T>(IServiceProvider services, Func<Task<T>> command)
    {
        var database = services.GetRequiredService<AppDatabase>();
        if (database.Provider != DatabaseProvider.Postgres) return await command();
        var notifier = services.GetRequiredService<WorkspaceChangeNotifier>();
        notifier.StartRelaying();
        var result = await command();
        try
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            await SendAsync(connection, notifier, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The command's change is made; only the running instances' caches learn of it later.
            services.GetRequiredService<ILogger<PostgresChangeRelay>>().LogWarning(ex,
                "The change was made but not announced to the running instances; they apply it within Api:KeyCacheSeconds");
        }
        return result;
    }

    // "<id>" when the workspace's access may have changed (keys, plan, members: caches evict), "b<id>" when only its
    // balance did. An instance of an older version reads "<id>" as before and ignores "b<id>".
    internal static string Payload(int workspaceId, bool accessChanged) =>
        (accessChanged ? "" : "b") + workspaceId.ToString(CultureInfo.InvariantCulture);

    internal static (int WorkspaceId, bool AccessChanged)? Parse(string payload)
    {
        var balanceOnly = payload.StartsWith('b');
        return int.TryParse(balanceOnly ? payload.AsSpan(1) : payload, NumberStyles.None, CultureInfo.InvariantCulture, out var workspaceId)
            ? (workspaceId, !balanceOnly)
            : null;
    }
}
