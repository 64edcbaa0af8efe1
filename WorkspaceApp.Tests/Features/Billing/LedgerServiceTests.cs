using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

public class LedgerServiceTests : IDisposable
{
    private static readonly Actor Ops = Actor.From(Actor.OperatorPrincipal);
    private readonly AppFactory app;

    public LedgerServiceTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected LedgerServiceTests(DatabaseProvider provider) => app = new AppFactory(provider);

    private LedgerService Ledger(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<LedgerService>();

    [Fact]
    public async Task A_post_moves_the_balance_and_appends_an_entry_with_the_running_balance()
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = app.CreateScope();

        var credit = await Ledger(scope).PostAsync(user.WorkspaceId, LedgerEntryKind.Adjustment, Money.FromCredits(30), "goodwill", Ops);
        var debit = await Ledger(scope).PostAsync(user.WorkspaceId, LedgerEntryKind.Usage, -4_370_000, "chat completion", Ops);

        Assert.True(credit.Succeeded);
        Assert.True(debit.Succeeded);
        Assert.Equal(25_630_000, debit.BalanceMicros);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(25_630_000, (await db.Workspaces.SingleAsync(w => w.Id == user.WorkspaceId)).BalanceMicros);
        var entries = await db.LedgerEntries.Where(e => e.WorkspaceId == user.WorkspaceId).OrderBy(e => e.Id).ToListAsync();
        Assert.Equal([30_000_000L, 25_630_000L], entries.Select(e => e.BalanceAfterMicros));
        Assert.Equal([LedgerEntryKind.Adjustment, LedgerEntryKind.Usage], entries.Select(e => e.Kind));
        // Adjustments are audited; usage is not (the API keeps its own usage log).
        Assert.Single(await db.AuditEvents.Where(a => a.WorkspaceId == user.WorkspaceId && a.Action.StartsWith("credits.")).ToListAsync());
        Assert.True((await Ledger(scope).VerifyAsync()).Ok);
    }

    [Fact]
    public async Task A_post_that_would_go_below_zero_is_refused_and_writes_nothing()
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = app.CreateScope();
        await Ledger(scope).PostAsync(user.WorkspaceId, LedgerEntryKind.Adjustment, Money.FromCredits(5), "start", Ops);

        var refused = await Ledger(scope).PostAsync(user.WorkspaceId, LedgerEntryKind.Usage, -5_000_001, "too much", Ops);

        Assert.False(refused.Succeeded);
        Assert.Contains("cannot cover 5.00", refused.Error, StringComparison.Ordinal);
        Assert.Equal(Money.FromCredits(5), await Ledger(scope).GetBalanceAsync(user.WorkspaceId));
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.Equal(1, await db.LedgerEntries.CountAsync(e => e.WorkspaceId == user.WorkspaceId));

        var exact = await Ledger(scope).PostAsync(user.WorkspaceId, LedgerEntryKind.Usage, -5_000_000, "all of it", Ops);
        Assert.True(exact.Succeeded);
        Assert.Equal(0, exact.BalanceMicros);
    }

    [Theory]
    [InlineData(LedgerEntryKind.Usage, 0, "must not be zero")]
    [InlineData(LedgerEntryKind.Purchase, -1, "must add credits")]
    [InlineData(LedgerEntryKind.Usage, 1, "must take credits")]
    public async Task Nonsense_amounts_are_refused(LedgerEntryKind kind, long micros, string message)
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = app.CreateScope();
        var result = await Ledger(scope).PostAsync(user.WorkspaceId, kind, micros, "x", Ops);
        Assert.False(result.Succeeded);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        var unknown = await Ledger(scope).PostAsync(987_654, LedgerEntryKind.Adjustment, 1, "x", Ops);
        Assert.Contains("does not exist", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fifty_parallel_debits_against_a_balance_for_twenty_let_exactly_twenty_through()
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await using (var scope = app.CreateScope())
        {
            await Ledger(scope).PostAsync(user.WorkspaceId, LedgerEntryKind.Adjustment, Money.FromCredits(20), "budget", Ops);
        }

        // Each post in its own scope, as concurrent API requests would run.
        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            await using var scope = app.CreateScope();
            return await Ledger(scope).PostAsync(user.WorkspaceId, LedgerEntryKind.Usage, -Money.FromCredits(1), $"request {i}", Ops);
        })));

        Assert.Equal(20, results.Count(r => r.Succeeded));
        Assert.Equal(30, results.Count(r => !r.Succeeded));
        await using var check = app.CreateScope();
        Assert.Equal(0, await Ledger(check).GetBalanceAsync(user.WorkspaceId));
        var verification = await Ledger(check).VerifyAsync();
        Assert.True(verification.Ok, string.Join("\n", verification.Problems));
        Assert.Equal(21, verification.Entries);
        // Every entry's running balance is distinct: no two debits saw the same balance.
        var db = check.ServiceProvider.GetRequiredService<AppDbContext>();
        var after = await db.LedgerEntries.Where(e => e.Kind == LedgerEntryKind.Usage).Select(e => e.BalanceAfterMicros).ToListAsync();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => Money.FromCredits(i)).Order(), after.Order());
    }

    [Fact]
    public async Task Verify_reports_each_broken_invariant()
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await Ledger(scope).PostAsync(user.WorkspaceId, LedgerEntryKind.Adjustment, Money.FromCredits(10), "start", Ops);
        Assert.True((await Ledger(scope).VerifyAsync()).Ok);

        // Break the ledger behind the service's back, as a bad migration or a manual edit could.
        await db.Workspaces.Where(w => w.Id == user.WorkspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.BalanceMicros, 11_000_000));
        var paidNotCredited = AddPurchase(db, user, PurchaseStatus.Paid);
        var creditedNotPaid = AddPurchase(db, user, PurchaseStatus.Failed);
        await db.SaveChangesAsync();
        db.LedgerEntries.Add(new LedgerEntry
        {
            WorkspaceId = user.WorkspaceId, Kind = LedgerEntryKind.Purchase, AmountMicros = 1_000_000, BalanceAfterMicros = 11_000_000,
            PurchaseId = creditedNotPaid.Id, Description = "sneaky", AtUtc = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();

        var verification = await Ledger(scope).VerifyAsync();

        Assert.False(verification.Ok);
        Assert.Contains($"purchase {paidNotCredited.Id}: paid but never credited", verification.Problems);
        Assert.Contains($"purchase {creditedNotPaid.Id}: credited but failed", verification.Problems);
        await db.Workspaces.Where(w => w.Id == user.WorkspaceId).ExecuteUpdateAsync(s => s.SetProperty(w => w.BalanceMicros, 12_000_000));
        Assert.Contains((await Ledger(scope).VerifyAsync()).Problems, p => p.Contains("differs from the ledger sum 11.00", StringComparison.Ordinal));
    }

    private static Purchase AddPurchase(AppDbContext db, TestUser user, PurchaseStatus status)
    {
        var purchase = new Purchase
        {
            WorkspaceId = user.WorkspaceId, Credits = 10, AmountCents = 1000, Currency = "eur", Status = status, Provider = "test",
            CreatedByUserId = user.UserId, CreatedByName = user.Email, CreatedAtUtc = DateTime.UtcNow,
        };
        db.Purchases.Add(purchase);
        return purchase;
    }

    public void Dispose()
    {
        app.Dispose();
        GC.SuppressFinalize(this);
    }
}
