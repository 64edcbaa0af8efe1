using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Api.Metering;
using WorkspaceApp.Features.Api.Models;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WorkspaceApp.Tests.Features.Api.Metering;

/// <summary>
/// PostgreSQL goes away under the running app: its connections are killed, or it refuses connections for a while.
/// Metered requests answer 503 service_unavailable meanwhile (charging nothing, leaking no hold), /healthz says
/// Unhealthy, and both work again within seconds of the database coming back, without restarting the app.
/// </summary>
public sealed class MeterOutageTests : IDisposable
{
    private readonly GateModel gate = new();
    private readonly ServicesAppFactory app;
    private readonly ITestOutputHelper output;

    public MeterOutageTests(ITestOutputHelper output)
    {
        this.output = output;
        app = new ServicesAppFactory(DatabaseProvider.Postgres, services => services.AddSingleton<IChatModel>(gate));
        // 1 credit per output token, nothing for input: a request with max_tokens 1 holds and costs exactly 1 credit.
        foreach (var model in new[] { "echo-1", "gate-1" })
        {
            app.With($"Pricing:Models:{model}:InputPerMillion", "0").With($"Pricing:Models:{model}:OutputPerMillion", "1000000");
        }
    }

    [Fact]
    public async Task After_its_connections_were_killed_the_meter_reconnects()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 100);
        using var client = workspace.Client(app);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client, maxTokens: 1)).StatusCode);

        await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{DatabaseName}' AND pid <> pg_backend_pid()");

        var (elapsed, unavailable) = await UntilAnsweredAsync(client);
        output.WriteLine($"connections killed: answered 200 again after {elapsed.TotalMilliseconds:0} ms, {unavailable} requests answered 503 meanwhile");
        await AssertChargedAsync(workspace, charged: 2);
    }

    [Fact]
    public async Task While_the_database_refuses_connections_requests_get_503_and_charge_nothing_then_work_again()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 100);
        using var client = workspace.Client(app);
        var inFlight = ApiWorkspace.ChatAsync(client, "hi", maxTokens: 5, model: "gate-1");
        await gate.Started.Task.WaitAsync(TimeSpan.FromSeconds(30)); // it holds 5 credits and the model runs

        await AdminAsync($"ALTER DATABASE \"{DatabaseName}\" ALLOW_CONNECTIONS false");
        try
        {
            await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{DatabaseName}' AND pid <> pg_backend_pid()");
            gate.Release.SetResult(); // the model answers, but its settlement cannot be written
            await ApiAssert.ErrorAsync(await inFlight, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            await ApiAssert.ErrorAsync(await ApiWorkspace.ChatAsync(client, maxTokens: 1), HttpStatusCode.ServiceUnavailable, "service_unavailable");
            var health = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("Unhealthy", await health.Content.ReadAsStringAsync());
        }
        finally
        {
            await AdminAsync($"ALTER DATABASE \"{DatabaseName}\" ALLOW_CONNECTIONS true");
        }

        var (elapsed, unavailable) = await UntilAnsweredAsync(client);
        var healthy = await Eventually.WaitAsync(async () => (await client.GetAsync("/healthz")).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(15), "/healthz is Healthy again");
        output.WriteLine($"database back: 200 after {elapsed.TotalMilliseconds:0} ms ({unavailable} more 503s), /healthz Healthy {healthy.TotalMilliseconds:0} ms later");
        // The failed request's hold was given back; only the one request answered 200 was charged.
        await AssertChargedAsync(workspace, charged: 1);
    }

    [Fact]
    public async Task A_writer_that_starts_while_the_database_is_away_keeps_running_and_writes_once_it_is_back()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 10);
        using var writer = ActivatorUtilities.CreateInstance<MeterWriter>(app.Services);
        await AdminAsync($"ALTER DATABASE \"{DatabaseName}\" ALLOW_CONNECTIONS false");
        try
        {
            NpgsqlConnection.ClearAllPools(); // no connection left open: the writer must open one now
            await writer.StartAsync(CancellationToken.None);
            var refused = writer.RunAsync(new HoldOp(workspace.Owner.WorkspaceId, 1, 1_000_000)).WaitAsync(TimeSpan.FromSeconds(15));
            await Assert.ThrowsAsync<MeterUnavailableException>(() => refused);
            Assert.False(writer.IsHealthy);
        }
        finally
        {
            await AdminAsync($"ALTER DATABASE \"{DatabaseName}\" ALLOW_CONNECTIONS true");
        }

        var hold = await writer.RunAsync(new HoldOp(workspace.Owner.WorkspaceId, 1, 1_000_000)).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.NotNull(hold);
        Assert.True(writer.IsHealthy);
        await writer.RunAsync(new ReleaseOp(hold.Value, 1_000_000, new UsageEntry(workspace.Owner.WorkspaceId, 1, "echo-1", 0, 0, "upstream_failed")));
        await writer.StopAsync(CancellationToken.None);
        await AssertChargedAsync(workspace, charged: 0, credits: 10);
    }

    // Sends requests until one is answered 200; every other answer must be a clean 503 service_unavailable.
    private static async Task<(TimeSpan Elapsed, int Unavailable)> UntilAnsweredAsync(HttpClient client)
    {
        var unavailable = 0;
        var elapsed = await Eventually.WaitAsync(async () =>
        {
            var response = await ApiWorkspace.ChatAsync(client, maxTokens: 1);
            if (response.StatusCode == HttpStatusCode.OK) return true;
            await ApiAssert.ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
            unavailable++;
            return false;
        }, TimeSpan.FromSeconds(15), "a metered request answered 200 again");
        return (elapsed, unavailable);
    }

    private async Task AssertChargedAsync(ApiWorkspace workspace, int charged, int credits = 100)
    {
        NpgsqlConnection.ClearAllPools(); // idle pooled connections the outage killed would fail the test's own reads
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = workspace.Owner.WorkspaceId;
        await Eventually.WaitAsync(async () => !await db.CreditHolds.AsNoTracking().AnyAsync(), TimeSpan.FromSeconds(15), "no hold is left");
        var row = await db.Workspaces.AsNoTracking().Where(w => w.Id == id).Select(w => new { w.BalanceMicros, w.HeldMicros }).SingleAsync();
        Assert.Equal(0, row.HeldMicros);
        Assert.Equal((credits - charged) * 1_000_000L, row.BalanceMicros);
        Assert.Equal(charged, await db.LedgerEntries.CountAsync(e => e.WorkspaceId == id && e.Kind == LedgerEntryKind.Usage));
        var verify = await app.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    private string DatabaseName => new NpgsqlConnectionStringBuilder(app.ConnectionString).Database!;

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresTestDatabase.ServerVariable));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A model (the edge of the world) that answers only when the test lets it.</summary>
    private sealed class GateModel : IChatModel
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public string Id => "gate-1";

        public async Task<ChatModelAnswer> CompleteAsync(IReadOnlyList<ChatMessage> messages, int maxOutputTokens, GenerationOptions generation, CancellationToken ct)
        {
            Started.TrySetResult();
            await Release.Task.WaitAsync(ct);
            return new ChatModelAnswer("ok", 1, "stop");
        }
    }

    public void Dispose() => app.Dispose();
}
