using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Alerts;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Alerts;

public class BalanceAlertTests : IDisposable
{
    private const string Low = "Low API credit balance in Test workspace";
    private const string Stopped = "API usage stopped in Test workspace";
    private readonly AppFactory app;

    public BalanceAlertTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected BalanceAlertTests(DatabaseProvider provider) => app = new AppFactory(provider);

    private async Task<(TestUser Owner, TestUser Admin, TestUser Member)> WorkspaceAsync(decimal credits, int threshold)
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var admin = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        if (credits != 0) await app.AdjustAsync(owner.WorkspaceId, credits);
        await using var scope = app.CreateScope();
        var set = await scope.ServiceProvider.GetRequiredService<BalanceAlertService>().SetThresholdAsync(owner.Principal, owner.WorkspaceId, threshold);
        Assert.True(set.Succeeded, set.Error);
        return (owner, admin, member);
    }

    private Task WaitForLevelAsync(int workspaceId, BalanceAlertLevel level) =>
        app.WaitUntilAsync(db => db.BalanceAlerts.AnyAsync(a => a.WorkspaceId == workspaceId && a.Level == level), $"alert level {level}");

    [Fact]
    public async Task One_email_per_crossing_to_owners_and_admins_again_after_re_arming_and_one_when_the_balance_reaches_zero()
    {
        var (owner, admin, member) = await WorkspaceAsync(credits: 20, threshold: 10);

        // Twelve debits at once take the balance from 20 to 8: one crossing.
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => app.AdjustAsync(owner.WorkspaceId, -1)));
        await WaitForLevelAsync(owner.WorkspaceId, BalanceAlertLevel.LowSent);
        await app.AdjustAsync(owner.WorkspaceId, -1); // still below: no new crossing
        await app.WaitForMailAsync(owner.Email, Low);
        await app.WaitForMailAsync(admin.Email, Low);
        var first = await app.DeliveredMailAsync(owner.Email);
        Assert.Equal(["Low API credit balance in Test workspace"], first.Select(m => m.Subject));
        Assert.Contains("below your alert threshold of 10.00 credits", first[0].TextBody, StringComparison.Ordinal);
        Assert.Single(await app.DeliveredMailAsync(admin.Email));
        Assert.Empty(await app.DeliveredMailAsync(member.Email));

        // Back above the threshold re-arms; the next fall is a new crossing, and zero sends the second email.
        await app.AdjustAsync(owner.WorkspaceId, 5);
        await WaitForLevelAsync(owner.WorkspaceId, BalanceAlertLevel.Armed);
        await app.AdjustAsync(owner.WorkspaceId, -3);
        await WaitForLevelAsync(owner.WorkspaceId, BalanceAlertLevel.LowSent);
        await app.AdjustAsync(owner.WorkspaceId, -9);
        await WaitForLevelAsync(owner.WorkspaceId, BalanceAlertLevel.ZeroSent);
        await app.WaitForMailAsync(owner.Email, Stopped);
        await app.WaitForMailAsync(admin.Email, Stopped);

        var all = await app.DeliveredMailAsync(owner.Email);
        // Messages sent within the same second may be read back in any order.
        Assert.Equal(["API usage stopped in Test workspace", "Low API credit balance in Test workspace", "Low API credit balance in Test workspace"],
            all.Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(3, (await app.DeliveredMailAsync(admin.Email)).Count);
    }

    [Fact]
    public async Task Fifty_concurrent_checks_of_one_crossing_claim_one_email()
    {
        var (owner, _, _) = await WorkspaceAsync(credits: 20, threshold: 10);
        // The crossing, seen by fifty checkers at once (requests, workers or instances) besides the app's own watcher.
        await app.AdjustAsync(owner.WorkspaceId, -15);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            await using var scope = app.CreateScope();
            await scope.ServiceProvider.GetRequiredService<BalanceAlertChecker>().CheckAsync(owner.WorkspaceId);
        }));

        await app.WaitForMailAsync(owner.Email, Low);
        Assert.Single(await app.DeliveredMailAsync(owner.Email));
    }

    [Fact]
    public async Task A_crossing_whose_email_cannot_be_stored_is_not_claimed_and_the_next_check_sends_it_once()
    {
        var (owner, _, _) = await WorkspaceAsync(credits: 20, threshold: 10);
        await app.FailMailStoreAsync(true);
        await app.AdjustAsync(owner.WorkspaceId, -15);
        await using (var scope = app.CreateScope())
        {
            await Assert.ThrowsAsync<DbUpdateException>(() => scope.ServiceProvider.GetRequiredService<BalanceAlertChecker>().CheckAsync(owner.WorkspaceId));
        }
        Assert.Equal(BalanceAlertLevel.Armed, await app.DbAsync(db => db.BalanceAlerts.Where(a => a.WorkspaceId == owner.WorkspaceId).Select(a => a.Level).SingleAsync()));

        await app.FailMailStoreAsync(false);
        await using (var scope = app.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<BalanceAlertChecker>().CheckAsync(owner.WorkspaceId);
        }
        await WaitForLevelAsync(owner.WorkspaceId, BalanceAlertLevel.LowSent);
        await app.WaitForMailAsync(owner.Email, Low);
        Assert.Single(await app.DeliveredMailAsync(owner.Email));
    }

    [Fact]
    public async Task A_threshold_already_above_the_balance_sends_no_email_for_it_but_zero_still_does()
    {
        var (owner, _, _) = await WorkspaceAsync(credits: 5, threshold: 10);
        await app.AdjustAsync(owner.WorkspaceId, -5);
        await app.WaitForMailAsync(owner.Email, Stopped);

        Assert.Equal(["API usage stopped in Test workspace"], (await app.DeliveredMailAsync(owner.Email)).Select(m => m.Subject));
    }

    [Fact]
    public async Task A_threshold_set_at_a_zero_balance_sends_nothing_until_the_balance_rises_and_falls_again()
    {
        var (owner, _, _) = await WorkspaceAsync(credits: 0, threshold: 10);
        Assert.Equal(BalanceAlertLevel.ZeroSent, await app.DbAsync(db => db.BalanceAlerts.Select(a => a.Level).SingleAsync()));

        await app.AdjustAsync(owner.WorkspaceId, 12);
        await WaitForLevelAsync(owner.WorkspaceId, BalanceAlertLevel.Armed);
        await app.AdjustAsync(owner.WorkspaceId, -12);
        await app.WaitForMailAsync(owner.Email, Stopped);

        Assert.Equal([Stopped, Low], (await app.DeliveredMailAsync(owner.Email)).Select(m => m.Subject).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(BalanceAlertService.MaxThresholdCredits + 1)]
    public async Task A_threshold_out_of_range_is_refused_and_changes_nothing(int credits)
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<BalanceAlertService>().SetThresholdAsync(owner.Principal, owner.WorkspaceId, credits);

        Assert.Equal(BalanceAlertService.RangeMessage, result.Error);
        Assert.False(await app.DbAsync(db => db.BalanceAlerts.AnyAsync()));
    }

    [Fact]
    public async Task A_member_cannot_set_the_threshold()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<BalanceAlertService>().SetThresholdAsync(member.Principal, owner.WorkspaceId, 10);

        Assert.Equal(BillingService.NotAllowed, result.Error);
        Assert.False(await app.DbAsync(db => db.BalanceAlerts.AnyAsync()));
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
