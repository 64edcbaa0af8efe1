using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WorkspaceApp.Tests.Features.Api.Metering;

/// <summary>
/// The real app process is killed (kill -9) in the middle of 400 metered requests (64 at a time) and started again on
/// the same database: the ledger verifies, no hold is left, no request is charged twice, and every request answered
/// 200 was charged, exactly once. The restarted process is a new instance: it releases the killed one's holds once
/// that one's heartbeat is older than Api:InstanceTimeoutSeconds.
/// </summary>
public class CrashTests : IDisposable
{
    private readonly ITestOutputHelper output;
    private const int Requests = 400;
    private const int InFlight = 64;
    private readonly DatabaseProvider provider;
    private readonly ITestDatabase database;

    public CrashTests(ITestOutputHelper output) : this(output, DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same test on another provider (see Features/Postgres).</summary>
    protected CrashTests(ITestOutputHelper output, DatabaseProvider provider)
    {
        this.output = output;
        this.provider = provider;
        database = provider == DatabaseProvider.Postgres ? new PostgresTestDatabase() : new TempDatabase();
    }

    [Fact]
    public async Task Killed_among_400_requests_in_flight_and_restarted_nothing_is_lost_or_charged_twice()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // The workspace, its credits and key, set up in process (as the API tests do) on the database the app will use.
        string key;
        using (var setup = new AppFactory(provider).With("ConnectionStrings:Default", database.ConnectionString))
        {
            key = (await ApiWorkspace.CreateAsync(setup, credits: 1000)).Key;
        }
        var settings = MeteredStorm.Settings(provider, database.ConnectionString);
        await using var server = await AppServer.StartAsync(settings);
        output.WriteLine($"{watch.Elapsed.TotalSeconds:0.0} s: set up, app started");

        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        // Killed right after the 20th answer: the rest are still in flight.
        var kill = new KillSwitch(server, afterAnswers: 20);
        var calls = MeteredStorm.RunAsync(Requests, InFlight, _ => http, kill.OnAnswerAsync);

        await kill.Killed.WaitAsync(TimeSpan.FromSeconds(30));
        var outcomes = await calls.WaitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{watch.Elapsed.TotalSeconds:0.0} s: killed");
        await server.RestartAsync();
        output.WriteLine($"{watch.Elapsed.TotalSeconds:0.0} s: restarted");
        await Eventually.WaitAsync(async () =>
        {
            await using var db = OpenDatabase();
            return !await db.CreditHolds.AnyAsync();
        }, TimeSpan.FromSeconds(45), "the killed instance's holds were released by the restarted one");
        output.WriteLine($"{watch.Elapsed.TotalSeconds:0.0} s: the killed instance's holds released");

        var ok = outcomes.Where(o => o.Status == 200).Select(o => o.PromptTokens!.Value).ToList();
        output.WriteLine($"{Requests} requests: {ok.Count} answered 200, {outcomes.Count(o => o.Status is not (0 or 200))} other answers, " +
            $"{outcomes.Count(o => o.Status == 0)} without an answer (killed)");
        Assert.Equal(ok.Count, ok.Distinct().Count()); // the prompt sizes do identify the requests
        Assert.InRange(ok.Count, 1, Requests - 1); // killed in the middle: some answered, not all

        var verify = await server.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        output.WriteLine($"{watch.Elapsed.TotalSeconds:0.0} s: {verify.Output.Trim()}");

        await using var db = OpenDatabase();
        Assert.Equal(0, await db.CreditHolds.CountAsync());
        Assert.Equal(0, await db.Workspaces.SumAsync(w => w.HeldMicros));
        var usage = await db.LedgerEntries.Where(e => e.Kind == LedgerEntryKind.Usage).Select(e => e.Description).ToListAsync();
        output.WriteLine($"usage ledger entries after the restart: {usage.Count}");
        Assert.Equal(usage.Count, usage.Distinct().Count()); // no request charged twice
        foreach (var promptTokens in ok)
        {
            Assert.Contains(MeteredStorm.LedgerLine(promptTokens), usage);
        }
        Assert.InRange(usage.Count, ok.Count, Requests);
        // Every charge was a settlement: its usage record came with it (and its hold went, see above).
        Assert.Equal(usage.Count, await db.UsageRecords.CountAsync(u => u.Status == "succeeded"));
    }

    private AppDbContext OpenDatabase()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        new AppDatabase(provider, database.ConnectionString).Configure(options);
        return new AppDbContext(options.Options);
    }

    public void Dispose()
    {
        database.Dispose();
        GC.SuppressFinalize(this);
    }
}
