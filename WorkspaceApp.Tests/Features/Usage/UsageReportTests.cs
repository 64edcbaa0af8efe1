using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Usage;

/// <summary>The Usage page's figures after real API calls through the app, against the ledger the calls wrote.</summary>
public class UsageReportTests : IDisposable
{
    private readonly AppFactory app;

    public UsageReportTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected UsageReportTests(DatabaseProvider provider) => app = new AppFactory(provider);

    [Fact]
    public async Task Totals_per_key_and_per_model_equal_the_usage_ledger_entries_to_the_micro_credit()
    {
        // 0.1 credits: plenty for short answers, too little to hold the longest answer echo-1 may give.
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 0.1m);
        var second = await ApiWorkspace.CreateKeyAsync(app, workspace.Owner.WorkspaceId, "Batch jobs");
        using var first = workspace.Client(app);
        using var other = workspace.Client(app, second);
        var charged = new List<string>();
        foreach (var (client, model, content) in new[]
        {
            (first, "echo-1", "one two three"), (first, "echo-1-mini", "four five. six"), (other, "echo-1", "seven eight nine ten"),
            (other, "echo-1", "eleven"), (first, "echo-1", "twelve thirteen"),
        })
        {
            var response = await ApiWorkspace.ChatAsync(client, content, maxTokens: 5, model: model);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            charged.Add(response.Headers.GetValues("X-Credits-Charged").Single());
        }
        // More than the balance can hold: refused, recorded, nothing charged.
        Assert.Equal(HttpStatusCode.PaymentRequired, (await ApiWorkspace.ChatAsync(other, "too much", maxTokens: 16_384)).StatusCode);

        var report = await ReportAsync(workspace.Owner, "7d");

        long ledger;
        await using (var scope = app.CreateScope())
        {
            ledger = -await scope.ServiceProvider.GetRequiredService<AppDbContext>().LedgerEntries
                .Where(e => e.WorkspaceId == workspace.Owner.WorkspaceId && e.Kind == LedgerEntryKind.Usage).SumAsync(e => e.AmountMicros);
        }
        Assert.True(ledger > 0);
        Assert.Equal(ledger, report.Totals.CostMicros);
        Assert.Equal(ledger, charged.Sum(c => Money.TryParseCredits(c, out var micros) ? micros : throw new FormatException(c)));
        Assert.Equal(ledger, report.Days.Sum(d => d.CostMicros));
        Assert.Equal(ledger, report.ByKey.Sum(r => r.CostMicros));
        Assert.Equal((5, 1, 0), (report.Totals.Requests, report.Totals.Refused, report.Totals.Failed));
        Assert.Equal(7, report.Days.Count);

        var batch = report.ByKey.Single(r => r.Name == "Batch jobs");
        Assert.Equal((2, 1), (batch.Requests, batch.Refused));
        Assert.StartsWith("wsk_", batch.Hint, StringComparison.Ordinal);
        Assert.Equal(3, report.ByKey.Single(r => r.Name == "Test key").Requests);
        Assert.Equal([("echo-1", 5), ("echo-1-mini", 1)], report.ByModel.Select(r => (r.Name, (int)r.Requests + (int)r.Refused)).OrderBy(r => r.Name).ToArray());
        Assert.Equal(report.ByModel.Sum(r => r.OutputTokens), report.ByKey.Sum(r => r.OutputTokens));
    }

    [Fact]
    public async Task Failed_and_refused_requests_are_counted_apart_and_records_outside_the_range_are_left_out()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var today = DateTime.UtcNow.Date;
        await app.AddUsageAsync(owner.WorkspaceId,
            (today.AddHours(1), "succeeded", 1_500), (today.AddHours(2), "upstream_failed", 0), (today.AddHours(3), "client_aborted", 700),
            (today.AddHours(4), "insufficient_credits", 0), (today.AddDays(-10), "succeeded", 9_000), (today.AddDays(-40), "succeeded", 100_000));

        var week = await ReportAsync(owner, "7d");
        var month = await ReportAsync(owner, "30d");

        Assert.Equal((2_200L, 2L, 1L, 1L), (week.Totals.CostMicros, week.Totals.Requests, week.Totals.Refused, week.Totals.Failed));
        Assert.Equal(2_200, week.Days[^1].CostMicros);
        Assert.Equal((11_200L, 3L), (month.Totals.CostMicros, month.Totals.Requests));
        Assert.Equal(9_000, month.Days[^11].CostMicros);
    }

    [Fact]
    public async Task Every_member_may_view_the_report_and_a_stranger_gets_nothing()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        var stranger = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await app.AddUsageAsync(owner.WorkspaceId, (DateTime.UtcNow, "succeeded", 42));
        await using var scope = app.CreateScope();
        var usage = scope.ServiceProvider.GetRequiredService<UsageService>();
        var range = UsageRange.Last(7, usage.Today, "7d");

        Assert.Equal(42, (await usage.GetReportAsync(member.Principal, owner.WorkspaceId, range))?.Totals.CostMicros);
        Assert.Null(await usage.GetReportAsync(stranger.Principal, owner.WorkspaceId, range));
        Assert.Null(await usage.GetBurnRateAsync(stranger.Principal, owner.WorkspaceId, 1_000_000));
        Assert.Null(await usage.ExportAsync(stranger.Principal, owner.WorkspaceId, range));
    }

    [Fact]
    public async Task The_burn_rate_is_the_last_seven_days_average_and_absent_without_spend()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = app.CreateScope();
        var usage = scope.ServiceProvider.GetRequiredService<UsageService>();
        Assert.Null(await usage.GetBurnRateAsync(owner.Principal, owner.WorkspaceId, Money.FromCredits(10)));

        await app.AddUsageAsync(owner.WorkspaceId, (DateTime.UtcNow.AddDays(-1), "succeeded", Money.FromCredits(7)), (DateTime.UtcNow.AddDays(-9), "succeeded", Money.FromCredits(70)));
        var rate = await usage.GetBurnRateAsync(owner.Principal, owner.WorkspaceId, Money.FromCredits(10));

        Assert.Equal((Money.FromCredits(1), 10L), (rate?.AveragePerDayMicros, rate?.DaysLeft));
        Assert.Equal(("1.00", "about 10 days"), (rate!.AverageText, rate.LastsText));
    }

    [Fact]
    public async Task The_background_service_sums_closed_days_once_and_reports_read_the_sums()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var today = DateTime.UtcNow.Date;
        await app.AddUsageAsync(owner.WorkspaceId,
            (today.AddDays(-80).AddHours(3), "succeeded", 100), (today.AddDays(-80).AddHours(4), "upstream_failed", 0),
            (today.AddDays(-3), "succeeded", 20), (today.AddHours(1), "succeeded", 3));
        var before = await ReportAsync(owner, "90d");

        await app.Services.GetRequiredService<UsageRollupService>().RunOnceAsync();

        await using (var scope = app.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var days = await db.Set<UsageDay>().Where(d => d.WorkspaceId == owner.WorkspaceId).OrderBy(d => d.Day).ToListAsync();
            Assert.Equal([(100L, 1L, 1L), (20L, 1L, 0L)], days.Select(d => (d.CostMicros, d.Served, d.Failed)));
            Assert.Equal(UsageRollup.ClosedThrough(DateTime.UtcNow), (await db.Set<UsageRollupMark>().SingleAsync(m => m.WorkspaceId == owner.WorkspaceId)).ThroughDay);
        }
        var after = await ReportAsync(owner, "90d");
        Assert.Equal(before.Totals, after.Totals);
        Assert.Equal((123L, 3L, 1L), (after.Totals.CostMicros, after.Totals.Requests, after.Totals.Failed));
        Assert.Equal(before.Days, after.Days);
        Assert.Equal(0, await app.Services.GetRequiredService<UsageRollupService>().RunOnceAsync());
    }

    private async Task<UsageReport> ReportAsync(TestUser user, string preset)
    {
        await using var scope = app.CreateScope();
        var usage = scope.ServiceProvider.GetRequiredService<UsageService>();
        Assert.True(UsageRange.TryParse(preset, null, null, usage.Today, out var range, out _));
        return await usage.GetReportAsync(user.Principal, user.WorkspaceId, range) ?? throw new InvalidOperationException("not allowed");
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
