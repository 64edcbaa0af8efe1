using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkspaceApp.Data;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Postgres;

/// <summary>
/// Two app instances (two hosts) on one PostgreSQL database: admission stays exact across them, and a change made
/// on one reaches the open pages of the other (LISTEN/NOTIFY), also after the relay's connections were cut.
/// </summary>
public sealed class TwoInstanceTests : IDisposable
{
    private readonly PostgresTestDatabase database = new();
    private readonly AppFactory a;
    private readonly AppFactory b;

    public TwoInstanceTests()
    {
        a = Instance();
        b = Instance();
    }

    [Fact]
    public async Task Four_hundred_concurrent_requests_split_across_two_instances_against_credits_for_one_hundred()
    {
        var workspace = await ApiWorkspace.CreateAsync(a, credits: 100);
        using var clientA = workspace.Client(a);
        using var clientB = workspace.Client(b);

        var responses = await Task.WhenAll(Enumerable.Range(0, 400).Select(i =>
            ApiWorkspace.ChatAsync(i % 2 == 0 ? clientA : clientB, $"word{i % 10}", maxTokens: 1)));

        Assert.Equal(100, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(300, responses.Count(r => r.StatusCode == HttpStatusCode.PaymentRequired));
        await using var db = OpenDatabase();
        var row = await db.Workspaces.SingleAsync(w => w.Id == workspace.Owner.WorkspaceId);
        Assert.Equal((0, 0), (row.BalanceMicros, row.HeldMicros));
        Assert.Equal(0, await db.CreditHolds.CountAsync());
        Assert.Equal(100, await db.LedgerEntries.CountAsync(e => e.WorkspaceId == row.Id && e.Kind == LedgerEntryKind.Usage));
        var verify = await b.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task A_change_on_one_instance_reaches_a_subscriber_on_the_other()
    {
        var workspace = await ApiWorkspace.CreateAsync(a, credits: 10);
        var id = workspace.Owner.WorkspaceId;

        // Published on A, received on B (sent again on each poll: B may not be listening yet right after its start).
        var received = 0;
        using (Notifier(b).Subscribe(id, () => Task.FromResult(Interlocked.Increment(ref received))))
        {
            await Eventually.WaitAsync(() =>
            {
                Notifier(a).Publish(id);
                return Task.FromResult(Volatile.Read(ref received) > 0);
            }, TimeSpan.FromSeconds(10), "a change published on A reached B");
        }

        // API usage on A: a page on B follows it, reading the balance the request left.
        var seenOnB = -1L;
        using var page = Notifier(b).Subscribe(id, async () => Volatile.Write(ref seenOnB, await BalanceAsync(id)));
        using var client = workspace.Client(a);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client, "one two three", maxTokens: 4)).StatusCode);
        var after = await BalanceAsync(id);
        Assert.True(after < 10_000_000);
        await Eventually.WaitAsync(() => Task.FromResult(Volatile.Read(ref seenOnB) == after), TimeSpan.FromSeconds(5), "B saw the balance after A's request");
    }

    [Fact]
    public async Task A_key_revoked_through_one_instance_is_refused_by_the_other_within_one_second()
    {
        var workspace = await ApiWorkspace.CreateAsync(a, credits: 10);
        using var clientB = workspace.Client(b);
        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync("/v1/models")).StatusCode); // cached on B

        var revoke = await a.OpsAsync("keys", "revoke", "--workspace", Id(workspace), "--name", "Test key");
        Assert.True(revoke.ExitCode == 0, revoke.Error);

        await RefusedWithinOneSecondAsync(clientB, HttpStatusCode.Unauthorized, "B refuses the key revoked on A");
    }

    [Fact]
    public async Task A_rotation_and_a_plan_change_through_one_instance_apply_on_the_other_within_one_second()
    {
        var workspace = await ApiWorkspace.CreateAsync(a, credits: 10);
        using var clientB = workspace.Client(b);
        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync("/v1/models")).StatusCode);

        string replacement;
        await using (var scope = a.CreateScope())
        {
            var keyId = await scope.ServiceProvider.GetRequiredService<AppDbContext>().ApiKeys.Select(k => k.Id).SingleAsync();
            var rotated = await scope.ServiceProvider.GetRequiredService<ApiKeyService>().RotateAsync(workspace.Owner.Principal, workspace.Owner.WorkspaceId, keyId);
            Assert.Null(rotated.Error);
            replacement = rotated.Value!.Plaintext;
        }
        await RefusedWithinOneSecondAsync(clientB, HttpStatusCode.Unauthorized, "B refuses the key rotated on A");

        using var replacementB = workspace.Client(b, replacement);
        Assert.Equal(HttpStatusCode.OK, (await replacementB.GetAsync("/v1/models")).StatusCode);
        var plan = await a.OpsAsync("plan", "set", "--workspace", Id(workspace), "--plan", "trial");
        Assert.True(plan.ExitCode == 0, plan.Error);
        await RefusedWithinOneSecondAsync(replacementB, HttpStatusCode.Forbidden, "B refuses API access after the plan change on A");
    }

    private static async Task RefusedWithinOneSecondAsync(HttpClient client, HttpStatusCode refusal, string what) =>
        await Eventually.WaitAsync(async () => (await client.GetAsync("/v1/models")).StatusCode == refusal, TimeSpan.FromSeconds(1), what);

    private static string Id(ApiWorkspace workspace) => workspace.Owner.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task After_the_relay_connections_are_cut_they_reconnect_and_changes_flow_again()
    {
        var workspace = await ApiWorkspace.CreateAsync(a, credits: 10);
        var id = workspace.Owner.WorkspaceId;
        var before = await RelayBackendsAsync(listening: false, within: TimeSpan.FromSeconds(10), replacing: []);

        await using (var admin = new NpgsqlConnection(database.ConnectionString))
        {
            await admin.OpenAsync();
            await using var cut = new NpgsqlCommand(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name", admin);
            cut.Parameters.AddWithValue("name", PostgresChangeRelay.ApplicationName);
            Assert.Equal(2L, await cut.ExecuteScalarAsync());
        }
        // New connections (a terminated backend may linger in pg_stat_activity for a moment).
        await RelayBackendsAsync(listening: true, within: TimeSpan.FromSeconds(15), replacing: before);

        // Both listen again: credits granted through A show on a page on B.
        var seenOnB = -1L;
        using var page = Notifier(b).Subscribe(id, async () => Volatile.Write(ref seenOnB, await BalanceAsync(id)));
        var grant = await a.OpsAsync("credits", "grant", "--workspace", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--credits", "5", "--reason", "test");
        Assert.True(grant.ExitCode == 0, grant.Error);
        await Eventually.WaitAsync(() => Task.FromResult(Volatile.Read(ref seenOnB) == 15_000_000), TimeSpan.FromSeconds(5), "B saw the grant made on A");
    }

    // The pids of the two instances' relay connections other than those replaced, once both are there (and, if asked, idle after their LISTEN,
    // which comes before anything else they run: pg_notify).
    private async Task<List<int>> RelayBackendsAsync(bool listening, TimeSpan within, List<int> replacing)
    {
        var pids = new List<int>();
        var seen = "";
        try
        {
            await Eventually.WaitAsync(async () =>
            {
                await using var admin = new NpgsqlConnection(database.ConnectionString);
                await admin.OpenAsync();
                await using var query = new NpgsqlCommand(
                    "SELECT pid, state, query FROM pg_stat_activity WHERE datname = current_database() AND application_name = @name", admin);
                query.Parameters.AddWithValue("name", PostgresChangeRelay.ApplicationName);
                pids.Clear();
                seen = "";
                await using var reader = await query.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    seen += $"[{reader.GetInt32(0)} {reader.GetValue(1)} {reader.GetValue(2)}] ";
                    if (replacing.Contains(reader.GetInt32(0))) continue;
                    if (!listening || (reader.GetValue(1) is "idle" && reader.GetValue(2) is string q && (q.StartsWith("LISTEN", StringComparison.Ordinal) || q.StartsWith("SELECT pg_notify", StringComparison.Ordinal)))) pids.Add(reader.GetInt32(0));
                }
                return pids.Count == 2;
            }, within, "both instances' relays listen");
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}; relay connections: {seen}", ex);
        }
        return pids;
    }

    private AppFactory Instance()
    {
        var app = new AppFactory(DatabaseProvider.Postgres)
            .With("ConnectionStrings:Default", database.ConnectionString)
            // 1 credit per output token, nothing for input: a request with max_tokens 1 holds and costs 1 credit.
            .With("Pricing:Models:echo-1:InputPerMillion", "0")
            .With("Pricing:Models:echo-1:OutputPerMillion", "1000000");
        _ = app.Services; // starts the host
        return app;
    }

    private static WorkspaceChangeNotifier Notifier(AppFactory app) => app.Services.GetRequiredService<WorkspaceChangeNotifier>();

    private async Task<long> BalanceAsync(int workspaceId)
    {
        await using var db = OpenDatabase();
        return await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => w.BalanceMicros).SingleAsync();
    }

    private AppDbContext OpenDatabase()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        new AppDatabase(DatabaseProvider.Postgres, database.ConnectionString).Configure(options);
        return new AppDbContext(options.Options);
    }

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
        database.Dispose();
    }
}
