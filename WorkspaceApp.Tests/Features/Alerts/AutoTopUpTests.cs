using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Alerts;

/// <summary>Auto top-up with the test provider's saved test card, against a real database.</summary>
public class AutoTopUpTests : IDisposable
{
    private readonly AppFactory app;

    public AutoTopUpTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected AutoTopUpTests(DatabaseProvider provider) => app = new AppFactory(provider)
        // Every request holds and costs exactly 1 credit (max_tokens 1), so 50 requests spend 50 credits.
        .With("Pricing:Models:echo-1:InputPerMillion", "0")
        .With("Pricing:Models:echo-1:OutputPerMillion", "1000000")
        // No pause after a declined top-up: the three attempts follow one another.
        .With("Alerts:TopUpRetryMinutes", "0");

    private async Task EnableAsync(TestUser owner, int below, int credits, int monthly)
    {
        await using var scope = app.CreateScope();
        var saved = await scope.ServiceProvider.GetRequiredService<AutoTopUpService>().SaveAsync(owner.Principal, owner.WorkspaceId, true, below, credits, monthly);
        Assert.True(saved.Succeeded, saved.Error);
    }

    private Task<List<Purchase>> TopUpsAsync(int workspaceId) =>
        app.DbAsync(db => db.Purchases.Where(p => p.WorkspaceId == workspaceId && p.AutoTopUp).OrderBy(p => p.Id).ToListAsync());

    [Fact]
    public async Task Fifty_concurrent_requests_crossing_the_threshold_start_exactly_one_top_up()
    {
        var workspace = await ApiWorkspace.CreateAsync(app, credits: 55);
        var owner = workspace.Owner;
        await app.BuyAndSaveCardAsync(owner, credits: 10); // 65 credits, card 4242 saved
        await EnableAsync(owner, below: 60, credits: 50, monthly: 500);
        using var client = workspace.Client(app);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => ApiWorkspace.ChatAsync(client, $"word{i % 10}", maxTokens: 1)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await app.WaitUntilAsync(db => db.Purchases.AnyAsync(p => p.WorkspaceId == owner.WorkspaceId && p.AutoTopUp && p.Status == PurchaseStatus.Paid), "a paid top-up");

        var topUp = Assert.Single(await TopUpsAsync(owner.WorkspaceId));
        Assert.Equal((50, 5000L, AutoTopUpRunner.CreatedByName, "4242"), (topUp.Credits, topUp.AmountCents, topUp.CreatedByName, topUp.CardLast4));
        Assert.Equal(Money.FromCredits(65 - 50 + 50), await app.DbAsync(db => db.Workspaces.Where(w => w.Id == owner.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync()));
        Assert.Equal(1, await app.DbAsync(db => db.LedgerEntries.CountAsync(e => e.PurchaseId == topUp.Id)));
        var verify = await app.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task Fifty_runners_at_once_claim_one_top_up()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await app.BuyAndSaveCardAsync(owner, credits: 10);
        await EnableAsync(owner, below: 20, credits: 25, monthly: 500); // the watcher may start it too: still one

        var started = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            await using var scope = app.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<AutoTopUpRunner>().RunAsync(owner.WorkspaceId);
        }));

        Assert.True(started.Count(id => id is not null) <= 1);
        await app.WaitUntilAsync(db => db.Purchases.AnyAsync(p => p.WorkspaceId == owner.WorkspaceId && p.AutoTopUp && p.Status == PurchaseStatus.Paid), "a paid top-up");
        Assert.Single(await TopUpsAsync(owner.WorkspaceId));
        Assert.Equal(Money.FromCredits(35), await app.DbAsync(db => db.Workspaces.Where(w => w.Id == owner.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync()));
    }

    [Fact]
    public async Task Three_declined_top_ups_switch_it_off_and_email_the_owners_and_admins()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var admin = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Admin);
        await app.BuyAndSaveCardAsync(owner, credits: 30);
        await using (var scope = app.CreateScope())
        {
            // The saved card starts to decline (as a card that expired or was blocked after it was saved).
            await scope.ServiceProvider.GetRequiredService<AutoTopUpService>().SaveCardAsync(owner.WorkspaceId, "test", null, TestCards.Digits(TestCards.Declined), "0002");
        }
        await EnableAsync(owner, below: 20, credits: 25, monthly: 500);

        await app.AdjustAsync(owner.WorkspaceId, -15);
        await app.WaitUntilAsync(db => db.AutoTopUps.AnyAsync(a => a.WorkspaceId == owner.WorkspaceId && !a.Enabled), "auto top-up switched off");
        await using (var scope = app.CreateScope())
        {
            Assert.Null(await scope.ServiceProvider.GetRequiredService<AutoTopUpRunner>().RunAsync(owner.WorkspaceId)); // no fourth attempt
        }

        var topUps = await TopUpsAsync(owner.WorkspaceId);
        Assert.Equal(3, topUps.Count);
        Assert.All(topUps, p => Assert.Equal((PurchaseStatus.Failed, TestCards.DeclinedMessage), (p.Status, p.FailureMessage)));
        var settings = await app.DbAsync(db => db.AutoTopUps.SingleAsync(a => a.WorkspaceId == owner.WorkspaceId));
        Assert.Equal((3, TestCards.DeclinedMessage), (settings.FailuresInARow, settings.LastFailure));
        await app.WaitForMailAsync(admin.Email, "Auto top-up switched off");
        Assert.Equal(["Auto top-up switched off"], (await app.DeliveredMailAsync(admin.Email)).Select(m => m.Subject));
        Assert.Equal(Money.FromCredits(15), await app.DbAsync(db => db.Workspaces.Where(w => w.Id == owner.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync()));
    }

    [Fact]
    public async Task After_a_declined_top_up_the_next_attempt_waits_instead_of_looping()
    {
        app.With("Alerts:TopUpRetryMinutes", "60"); // the default
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await app.BuyAndSaveCardAsync(owner, credits: 10);
        await using var scope = app.CreateScope();
        await scope.ServiceProvider.GetRequiredService<AutoTopUpService>().SaveCardAsync(owner.WorkspaceId, "test", null, TestCards.Digits(TestCards.Declined), "0002");
        await EnableAsync(owner, below: 20, credits: 25, monthly: 500);
        await app.WaitUntilAsync(db => db.AutoTopUps.AnyAsync(a => a.WorkspaceId == owner.WorkspaceId && a.FailuresInARow == 1), "the first decline");

        await app.AdjustAsync(owner.WorkspaceId, -1); // a balance change, as every API request makes
        Assert.Null(await scope.ServiceProvider.GetRequiredService<AutoTopUpRunner>().RunAsync(owner.WorkspaceId));

        Assert.Single(await TopUpsAsync(owner.WorkspaceId));
        Assert.True(await app.DbAsync(db => db.AutoTopUps.AnyAsync(a => a.WorkspaceId == owner.WorkspaceId && a.Enabled && a.FailuresInARow == 1)));
    }

    [Fact]
    public async Task A_top_up_left_pending_by_a_stopped_instance_is_finished_with_the_same_purchase_and_none_beside_it()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await app.BuyAndSaveCardAsync(owner, credits: 10);
        var provider = await app.DbAsync(db => db.AutoTopUps.Where(a => a.WorkspaceId == owner.WorkspaceId).Select(a => a.CardProvider).SingleAsync());
        // What an instance that stopped between creating the top-up and the charge's answer leaves behind.
        var unfinished = await app.DbAsync(async db =>
        {
            var purchase = new Purchase
            {
                WorkspaceId = owner.WorkspaceId, Credits = 25, AmountCents = PurchaseRules.TotalCents(25), Currency = PurchaseRules.Currency,
                Status = PurchaseStatus.Pending, Provider = provider!, AutoTopUp = true, CardLast4 = "4242", CreatedByUserId = "",
                CreatedByName = AutoTopUpRunner.CreatedByName, CreatedAtUtc = DateTime.UtcNow - AutoTopUpRules.ClaimTimeout - TimeSpan.FromMinutes(1),
            };
            db.Purchases.Add(purchase);
            await db.SaveChangesAsync();
            return purchase.Id;
        });

        // Monthly limit 30: the unfinished 25 counts, so a new top-up could not start; finishing it is not a new one.
        await EnableAsync(owner, below: 20, credits: 25, monthly: 30);
        await app.WaitUntilAsync(db => db.Purchases.AnyAsync(p => p.Id == unfinished && p.Status == PurchaseStatus.Paid), "the unfinished top-up paid");

        Assert.Equal([unfinished], (await TopUpsAsync(owner.WorkspaceId)).Select(p => p.Id));
        Assert.Equal(Money.FromCredits(35), await app.DbAsync(db => db.Workspaces.Where(w => w.Id == owner.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync()));
        await using var scope = app.CreateScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<AutoTopUpRunner>().RunAsync(owner.WorkspaceId)); // nothing left to finish, balance above
        var verify = await app.OpsAsync("ledger", "verify");
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Error);
    }

    [Fact]
    public async Task The_monthly_limit_stops_a_second_top_up()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await app.BuyAndSaveCardAsync(owner, credits: 10);
        await EnableAsync(owner, below: 20, credits: 25, monthly: 40);
        await app.WaitUntilAsync(db => db.Purchases.AnyAsync(p => p.WorkspaceId == owner.WorkspaceId && p.AutoTopUp && p.Status == PurchaseStatus.Paid), "the first top-up");

        await app.AdjustAsync(owner.WorkspaceId, -30); // 35 -> 5: below again, but 25 more would exceed 40 this month
        await using var scope = app.CreateScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<AutoTopUpRunner>().RunAsync(owner.WorkspaceId));
        Assert.Single(await TopUpsAsync(owner.WorkspaceId));
    }

    [Theory]
    [InlineData(0, 25, 100, "Below")]
    [InlineData(10, 4, 100, "Credits")]
    [InlineData(10, 10_001, 100_000, "Credits")]
    [InlineData(10, 50, 40, "MonthlyLimit")]
    [InlineData(10, 50, 100_001, "MonthlyLimit")]
    public async Task Settings_out_of_range_are_refused_and_change_nothing(int below, int credits, int monthly, string field)
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await app.BuyAndSaveCardAsync(owner, credits: 10);
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<AutoTopUpService>().SaveAsync(owner.Principal, owner.WorkspaceId, true, below, credits, monthly);

        Assert.Equal(AutoTopUpRules.Validate(below, credits, monthly)[field], result.Error);
        Assert.False(await app.DbAsync(db => db.AutoTopUps.AnyAsync(a => a.Enabled)));
    }

    [Fact]
    public async Task It_cannot_be_switched_on_without_a_saved_card_or_by_a_member()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        await using var scope = app.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<AutoTopUpService>();

        Assert.Equal(AutoTopUpService.NoCard, (await service.SaveAsync(owner.Principal, owner.WorkspaceId, true, 10, 25, 100)).Error);
        await app.BuyAndSaveCardAsync(owner, credits: 10);
        Assert.Equal(BillingService.NotAllowed, (await service.SaveAsync(member.Principal, owner.WorkspaceId, true, 10, 25, 100)).Error);
        Assert.False(await app.DbAsync(db => db.AutoTopUps.AnyAsync(a => a.Enabled)));
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
