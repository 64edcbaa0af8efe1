using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Features.Api.Metering;
using WorkspaceApp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace WorkspaceApp.Tests.Features.Postgres;

/// <summary>
/// Two real app processes on one PostgreSQL database share a storm of 400 metered requests (64 at a time); one is killed (kill -9)
/// in the middle and started again: the other's requests all settle, nothing is lost, charged twice or minted.
/// </summary>
public sealed class TwoProcessCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Requests = 400;
    private const int InFlight = 64;
    private const long Credits = 1000;
    private readonly PostgresTestDatabase database = new();

    [Fact]
    public async Task One_of_two_instances_killed_under_a_storm_and_restarted_the_others_requests_settle_and_nothing_is_lost_or_minted()
    {
        string key;
        using (var setup = new AppFactory(DatabaseProvider.Postgres).With("ConnectionStrings:Default", database.ConnectionString))
        {
            key = (await ApiWorkspace.CreateAsync(setup, credits: Credits)).Key;
        }
        var settings = MeteredStorm.Settings(DatabaseProvider.Postgres, database.ConnectionString);
        await using var a = await AppServer.StartAsync(settings);
        await using var b = await AppServer.StartAsync(settings);
        using var httpA = Client(a, key);
        using var httpB = Client(b, key);

        // Even requests go to A, odd ones to B; A is killed right after the 20th answer (from either).
        var kill = new KillSwitch(a, afterAnswers: 20);
        var calls = MeteredStorm.RunAsync(Requests, InFlight, i => i % 2 == 0 ? httpA : httpB, kill.OnAnswerAsync);
        await kill.Killed.WaitAsync(TimeSpan.FromSeconds(30));
        var outcomes = await calls.WaitAsync(TimeSpan.FromSeconds(60));
        await a.RestartAsync();

        var onA = outcomes.Where((_, i) => i % 2 == 0).ToList();
        var onB = outcomes.Where((_, i) => i % 2 == 1).ToList();
        output.WriteLine($"A: {onA.Count(o => o.Status == 200)} answered 200, {onA.Count(o => o.Status == 0)} without an answer (killed); " +
            $"B: {onB.Count(o => o.Status == 200)} answered 200 of {onB.Count}");
        Assert.All(onB, o => Assert.Equal(200, o.Status)); // the other instance's requests settle normally
        Assert.InRange(onA.Count(o => o.Status == 200), 0, onA.Count - 1); // A was killed under its requests

        // The restarted A (a new instance) or B releases the holds of the dead A once its heartbeat is old enough.
        await Eventually.WaitAsync(async () =>
        {
            await using var db = OpenDatabase();
            return !await db.CreditHolds.AnyAsync();
        }, TimeSpan.FromSeconds(45), "the killed instance's holds were released");

        var verify = await b.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
        await using var check = OpenDatabase();
        var usage = await check.LedgerEntries.Where(e => e.Kind == LedgerEntryKind.Usage).Select(e => e.Description).ToListAsync();
        output.WriteLine($"usage ledger entries: {usage.Count}; {verify.Output.Trim()}");
        Assert.Equal(usage.Count, usage.Distinct().Count()); // no request charged twice
        var ok = outcomes.Where(o => o.Status == 200).Select(o => o.PromptTokens!.Value).ToList();
        foreach (var promptTokens in ok) Assert.Contains(MeteredStorm.LedgerLine(promptTokens), usage);
        Assert.InRange(usage.Count, ok.Count, Requests);
        var workspace = await check.Workspaces.SingleAsync();
        // Nothing lost or minted: every credit spent is one usage entry of 1 credit, nothing is still held.
        Assert.Equal((Credits - usage.Count) * 1_000_000, workspace.BalanceMicros);
        Assert.Equal(0, workspace.HeldMicros);
    }

    private static HttpClient Client(AppServer server, string key)
    {
        var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return http;
    }

    private AppDbContext OpenDatabase()
    {
        var options = new DbContextOptionsBuilder<AppDbContext>();
        new AppDatabase(DatabaseProvider.Postgres, database.ConnectionString).Configure(options);
        return new AppDbContext(options.Options);
    }

    public void Dispose() => database.Dispose();
}
