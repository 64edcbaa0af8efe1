using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Features.Billing;
using WorkspaceApp.Tests.Infrastructure;
using EventTypes = Stripe.EventTypes;

namespace WorkspaceApp.Tests.Features.Alerts;

/// <summary>Auto top-up through Stripe: the card saved at Checkout, off-session payment intents, the webhook.</summary>
public class StripeAutoTopUpTests : StripeAppTests
{
    public StripeAutoTopUpTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected StripeAutoTopUpTests(DatabaseProvider provider) : base(provider)
    {
    }

    /// <summary>A checkout that asked to save the card, paid: returns the saved payment method.</summary>
    private async Task<(TestUser User, string PaymentMethod)> SaveCardAsync()
    {
        var user = await App.RegisterAsync(plan: WorkspaceApp.Features.Workspaces.WorkspacePlan.Pro);
        await using var scope = App.CreateScope();
        var started = await scope.ServiceProvider.GetRequiredService<BillingService>().StartPurchaseAsync(user.Principal, user.WorkspaceId, 10, BaseUri, saveCard: true);
        Assert.True(started.Succeeded, started.Error);
        Assert.Equal(("off_session", "always"), (Fake.Session(started.Value!.SessionId)["setup_future_usage"]!.GetValue<string>(),
            Fake.Session(started.Value.SessionId)["customer_creation"]!.GetValue<string>()));
        Fake.Complete(started.Value.SessionId);
        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CheckoutSessionCompleted, started.Value.SessionId));
        var card = await App.DbAsync(db => db.AutoTopUps.SingleAsync(a => a.WorkspaceId == user.WorkspaceId));
        Assert.Equal(("stripe", "4242"), (card.CardProvider, card.CardLast4));
        Assert.StartsWith("cus_", card.CustomerId, StringComparison.Ordinal);
        return (user, card.PaymentMethodId!);
    }

    private async Task EnableAsync(TestUser user)
    {
        await using var scope = App.CreateScope();
        var saved = await scope.ServiceProvider.GetRequiredService<AutoTopUpService>().SaveAsync(user.Principal, user.WorkspaceId, true, 20, 30, 300);
        Assert.True(saved.Succeeded, saved.Error);
    }

    [Fact]
    public async Task A_top_up_is_an_off_session_payment_intent_with_its_idempotency_key_credited_once_however_often_the_webhook_comes()
    {
        var (user, paymentMethod) = await SaveCardAsync();
        await EnableAsync(user); // balance 10 < 20: the watcher tops up
        await App.WaitUntilAsync(db => db.Purchases.AnyAsync(p => p.WorkspaceId == user.WorkspaceId && p.AutoTopUp && p.Status == PurchaseStatus.Paid), "a paid top-up");

        var topUp = await App.DbAsync(db => db.Purchases.SingleAsync(p => p.WorkspaceId == user.WorkspaceId && p.AutoTopUp));
        var (form, key) = Assert.Single(Fake.PaymentIntentRequests);
        Assert.Equal($"topup-{topUp.Id}", key);
        Assert.Equal(("3000", "eur", "true", "true", paymentMethod), (form["amount"], form["currency"], form["off_session"], form["confirm"], form["payment_method"]));
        Assert.Equal(topUp.Id.ToString(CultureInfo.InvariantCulture), form["metadata[purchase_id]"]);
        var intent = Fake.IntentForPurchase(topUp.Id);
        Assert.Equal(intent, topUp.ProviderPaymentId);

        // Stripe's webhook for the same payment, delivered twice: credited already, so nothing changes.
        var body = Fake.EventJson(EventTypes.PaymentIntentSucceeded, intent);
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body));
        Assert.Equal(1, await App.DbAsync(db => db.LedgerEntries.CountAsync(e => e.PurchaseId == topUp.Id)));
        Assert.Equal(Money.FromCredits(40), await App.DbAsync(db => db.Workspaces.Where(w => w.Id == user.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync()));
    }

    [Fact]
    public async Task When_only_the_webhook_reports_the_payment_it_credits_the_top_up_once()
    {
        var (user, _) = await SaveCardAsync();
        await EnableAsync(user);
        await App.WaitUntilAsync(db => db.Purchases.AnyAsync(p => p.WorkspaceId == user.WorkspaceId && p.AutoTopUp && p.Status == PurchaseStatus.Paid), "a paid top-up");
        var topUp = await App.DbAsync(db => db.Purchases.SingleAsync(p => p.WorkspaceId == user.WorkspaceId && p.AutoTopUp));
        // As if the answer to the create request had been lost: the purchase is still open when the webhook comes.
        await App.DbAsync(db => db.Purchases.Where(p => p.Id == topUp.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PurchaseStatus.Pending)));
        await App.DbAsync(db => db.LedgerEntries.Where(e => e.PurchaseId == topUp.Id).ExecuteDeleteAsync());
        await App.AdjustAsync(user.WorkspaceId, -30); // takes back the credit removed from the ledger above, keeping balance = sum of ledger

        var body = Fake.EventJson(EventTypes.PaymentIntentSucceeded, Fake.IntentForPurchase(topUp.Id));
        await Task.WhenAll(DeliverAsync(body), DeliverAsync(body), DeliverAsync(body));

        Assert.Equal(PurchaseStatus.Paid, (await App.DbAsync(db => db.Purchases.SingleAsync(p => p.Id == topUp.Id))).Status);
        Assert.Equal(1, await App.DbAsync(db => db.LedgerEntries.CountAsync(e => e.PurchaseId == topUp.Id)));
    }

    [Fact]
    public async Task A_declined_off_session_payment_fails_the_top_up_and_counts_against_the_card()
    {
        var (user, paymentMethod) = await SaveCardAsync();
        Fake.DecliningPaymentMethods[paymentMethod] = 0;
        await EnableAsync(user);
        await App.WaitUntilAsync(db => db.AutoTopUps.AnyAsync(a => a.WorkspaceId == user.WorkspaceId && a.FailuresInARow == 1), "one failure");

        var topUp = await App.DbAsync(db => db.Purchases.SingleAsync(p => p.WorkspaceId == user.WorkspaceId && p.AutoTopUp));
        Assert.Equal((PurchaseStatus.Failed, "Your card was declined."), (topUp.Status, topUp.FailureMessage));
        Assert.Equal(Money.FromCredits(10), await App.DbAsync(db => db.Workspaces.Where(w => w.Id == user.WorkspaceId).Select(w => w.BalanceMicros).SingleAsync()));
    }
}
