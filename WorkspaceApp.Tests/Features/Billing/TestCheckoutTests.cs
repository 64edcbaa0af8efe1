using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>Buying credits through the default test provider, as the Billing page and the test checkout page do.</summary>
public sealed class TestCheckoutTests : IDisposable
{
    private const string BaseUri = "http://localhost/";
    private readonly AppFactory app = new();

    private static TestCardForm Card(string number) => new() { Number = number, Expiry = $"12/{(DateTime.UtcNow.Year + 2) % 100:00}", Cvc = "123" };

    private async Task<CheckoutRedirect> StartAsync(TestUser user, int credits)
    {
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<BillingService>().StartPurchaseAsync(user.Principal, user.WorkspaceId, credits, BaseUri);
        Assert.True(result.Succeeded, result.Error);
        return result.Value!;
    }

    private async Task<TestPaymentResult> PayAsync(TestUser user, int purchaseId, TestCardForm card)
    {
        await using var scope = app.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<TestCheckoutService>().PayAsync(user.Principal, purchaseId, card);
    }

    private async Task<(long Balance, List<Purchase> Purchases, int Entries)> StateAsync(TestUser user)
    {
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return ((await db.Workspaces.SingleAsync(w => w.Id == user.WorkspaceId)).BalanceMicros,
            await db.Purchases.Where(p => p.WorkspaceId == user.WorkspaceId).OrderBy(p => p.Id).ToListAsync(),
            await db.LedgerEntries.CountAsync(e => e.WorkspaceId == user.WorkspaceId));
    }

    private static int PurchaseId(CheckoutRedirect checkout) => int.Parse(checkout.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_test_card_purchase_credits_exactly_the_chosen_amount_once()
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var checkout = await StartAsync(user, 25);
        Assert.StartsWith($"{BaseUri}billing/checkout/", checkout.Url, StringComparison.Ordinal);

        var paid = await PayAsync(user, PurchaseId(checkout), Card(TestCards.Success));
        var again = await PayAsync(user, PurchaseId(checkout), Card(TestCards.Success));

        Assert.True(paid.Paid, paid.Error);
        Assert.False(again.Paid);
        Assert.Contains("closed", again.Error, StringComparison.Ordinal);
        var (balance, purchases, entries) = await StateAsync(user);
        Assert.Equal(Money.FromCredits(25), balance);
        Assert.Equal(1, entries);
        var purchase = Assert.Single(purchases);
        Assert.Equal((PurchaseStatus.Paid, 2500L, "4242", "test"), (purchase.Status, purchase.AmountCents, purchase.CardLast4, purchase.Provider));
        await using var scope = app.CreateScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<LedgerService>().VerifyAsync()).Ok);
        var audit = await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents
            .SingleAsync(a => a.WorkspaceId == user.WorkspaceId && a.Action == "credits.purchased");
        Assert.Equal(user.Email, audit.ActorName);
    }

    [Theory]
    [InlineData(TestCards.Declined, TestCards.DeclinedMessage)]
    [InlineData(TestCards.InsufficientFunds, TestCards.InsufficientFundsMessage)]
    public async Task A_declined_card_credits_nothing_and_the_purchase_fails(string number, string message)
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var checkout = await StartAsync(user, 50);

        var result = await PayAsync(user, PurchaseId(checkout), Card(number));

        Assert.False(result.Paid);
        Assert.Equal(message, result.Error);
        var (balance, purchases, entries) = await StateAsync(user);
        Assert.Equal(0, balance);
        Assert.Equal(0, entries);
        Assert.Equal((PurchaseStatus.Failed, message), (purchases[0].Status, purchases[0].FailureMessage));
    }

    [Theory]
    [InlineData("4242 4242 4242", "12/40", "123", "Number")]
    [InlineData("4242 4242 4242 424x", "12/40", "123", "Number")]
    [InlineData("5555 5555 5555 4444", "12/40", "123", "Number")]
    [InlineData(TestCards.Success, "13/40", "123", "Expiry")]
    [InlineData(TestCards.Success, "01/20", "123", "Expiry")]
    [InlineData(TestCards.Success, "1240", "123", "Expiry")]
    [InlineData(TestCards.Success, "12/40", "12", "Cvc")]
    [InlineData(TestCards.Success, "12/40", "abc", "Cvc")]
    public async Task A_bad_card_form_shows_the_field_error_and_changes_nothing(string number, string expiry, string cvc, string field)
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var checkout = await StartAsync(user, 10);

        var result = await PayAsync(user, PurchaseId(checkout), new TestCardForm { Number = number, Expiry = expiry, Cvc = cvc });

        Assert.False(result.Paid);
        Assert.Equal([field], result.FieldErrors.Keys);
        var (balance, purchases, _) = await StateAsync(user);
        Assert.Equal(0, balance);
        Assert.Equal(PurchaseStatus.Pending, purchases[0].Status);
    }

    [Fact]
    public async Task A_member_is_refused_by_the_service()
    {
        var owner = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var member = await app.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        await using var scope = app.CreateScope();
        var billing = scope.ServiceProvider.GetRequiredService<BillingService>();

        var start = await billing.StartPurchaseAsync(member.Principal, owner.WorkspaceId, 25, BaseUri);
        var upgrade = await billing.UpgradeToProAsync(member.Principal, owner.WorkspaceId, BaseUri);
        var ownersCheckout = await StartAsync(owner, 25);
        var pay = await PayAsync(member, PurchaseId(ownersCheckout), Card(TestCards.Success));
        var cancel = await billing.CancelTestCheckoutAsync(member.Principal, PurchaseId(ownersCheckout));

        Assert.Equal(BillingService.NotAllowed, start.Error);
        Assert.Equal(BillingService.NotAllowed, upgrade.Error);
        Assert.Equal(BillingService.NotAllowed, pay.Error);
        Assert.Equal(BillingService.NotAllowed, cancel.Error);
        var (balance, purchases, _) = await StateAsync(owner);
        Assert.Equal(0, balance);
        Assert.Equal(PurchaseStatus.Pending, Assert.Single(purchases).Status);
        // Members still see the history.
        Assert.Single(await billing.ListPurchasesAsync(member.Principal, owner.WorkspaceId));
    }

    [Fact]
    public async Task A_trial_workspace_cannot_buy_credits_until_it_upgrades()
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Trial);
        await using var scope = app.CreateScope();
        var billing = scope.ServiceProvider.GetRequiredService<BillingService>();

        var refused = await billing.StartPurchaseAsync(user.Principal, user.WorkspaceId, 25, BaseUri);
        Assert.Equal(BillingService.TrialCannotBuy, refused.Error);
        Assert.Empty((await StateAsync(user)).Purchases);

        var upgrade = await billing.UpgradeToProAsync(user.Principal, user.WorkspaceId, BaseUri);
        Assert.True(upgrade.Succeeded);
        Assert.Null(upgrade.Value); // test mode: no checkout, upgraded at once
        Assert.True((await billing.StartPurchaseAsync(user.Principal, user.WorkspaceId, 25, BaseUri)).Succeeded);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_001)]
    public async Task The_service_refuses_out_of_range_quantities(int credits)
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = app.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<BillingService>().StartPurchaseAsync(user.Principal, user.WorkspaceId, credits, BaseUri);
        Assert.Equal(PurchaseRules.RangeMessage, result.Error);
        Assert.Empty((await StateAsync(user)).Purchases);
    }

    [Fact]
    public async Task Cancelling_the_test_checkout_expires_the_purchase()
    {
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        var checkout = await StartAsync(user, 10);
        await using var scope = app.CreateScope();

        var cancelled = await scope.ServiceProvider.GetRequiredService<BillingService>().CancelTestCheckoutAsync(user.Principal, PurchaseId(checkout));
        var late = await PayAsync(user, PurchaseId(checkout), Card(TestCards.Success));

        Assert.True(cancelled.Succeeded);
        Assert.False(late.Paid);
        var (balance, purchases, _) = await StateAsync(user);
        Assert.Equal((0L, PurchaseStatus.Expired), (balance, purchases[0].Status));
    }

    public void Dispose() => app.Dispose();
}
