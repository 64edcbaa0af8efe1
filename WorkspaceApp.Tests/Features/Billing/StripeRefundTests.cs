using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using EventTypes = Stripe.EventTypes;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>Refunds and disputes in Stripe take the credits back, once per event, never below zero.</summary>
public class StripeRefundTests : StripeAppTests
{
    public StripeRefundTests() : this(DatabaseProvider.Sqlite)
    {
    }

    protected StripeRefundTests(DatabaseProvider provider) : base(provider)
    {
    }

    /// <summary>A paid purchase of <paramref name="credits"/>, credited through the webhook; returns its charge.</summary>
    private async Task<(TestUser User, string ChargeId)> BuyAsync(int credits = 25)
    {
        var (user, _, sessionId) = await StartAsync(credits);
        Fake.Complete(sessionId);
        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CheckoutSessionCompleted, sessionId));
        Assert.Equal(Money.FromCredits(credits), (await StateAsync(user)).Balance);
        return (user, Fake.ChargeFor(sessionId));
    }

    private async Task<string> RefundAsync(string chargeId, long cents)
    {
        Fake.Refund(chargeId, cents);
        var body = Fake.EventJson(EventTypes.ChargeRefunded, chargeId);
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body));
        return body;
    }

    private async Task<List<LedgerEntry>> RefundEntriesAsync(TestUser user)
    {
        await using var scope = App.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().LedgerEntries
            .Where(e => e.WorkspaceId == user.WorkspaceId && e.Kind == LedgerEntryKind.Refund).OrderBy(e => e.Id).ToListAsync();
    }

    private async Task SpendAsync(TestUser user, int credits)
    {
        await using var scope = App.CreateScope();
        var spent = await scope.ServiceProvider.GetRequiredService<LedgerService>()
            .PostAsync(user.WorkspaceId, LedgerEntryKind.Usage, -Money.FromCredits(credits), "API usage", Actor.From(Actor.OperatorPrincipal));
        Assert.True(spent.Succeeded, spent.Error);
    }

    private async Task HoldAsync(TestUser user, long heldMicros)
    {
        await using var scope = App.CreateScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces.Where(w => w.Id == user.WorkspaceId)
            .ExecuteUpdateAsync(w => w.SetProperty(x => x.HeldMicros, heldMicros));
    }

    private async Task AssertLedgerVerifiesAsync()
    {
        await using var scope = App.CreateScope();
        var verification = await scope.ServiceProvider.GetRequiredService<LedgerService>().VerifyAsync();
        Assert.True(verification.Ok, string.Join("; ", verification.Problems));
    }

    [Fact]
    public async Task A_full_refund_takes_all_the_credits_back()
    {
        var (user, chargeId) = await BuyAsync(25);

        await RefundAsync(chargeId, 2500);

        var (balance, purchase, _) = await StateAsync(user);
        Assert.Equal((0L, 2500L, 0L), (balance, purchase.RefundedCents, purchase.ShortfallMicros));
        Assert.Equal("Refunded", PurchaseView.From(purchase).StatusLabel);
        Assert.Equal(-Money.FromCredits(25), Assert.Single(await RefundEntriesAsync(user)).AmountMicros);
        await using var scope = App.CreateScope();
        var audit = await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents
            .SingleAsync(a => a.WorkspaceId == user.WorkspaceId && a.Action == "credits.refunded");
        Assert.Equal("Stripe", audit.ActorName);
        await AssertLedgerVerifiesAsync();
    }

    [Fact]
    public async Task Partial_refunds_in_two_events_take_back_each_increase_once()
    {
        var (user, chargeId) = await BuyAsync(25);

        var first = await RefundAsync(chargeId, 1000);
        Assert.Equal(Money.FromCredits(15), (await StateAsync(user)).Balance);
        await RefundAsync(chargeId, 500);
        // Stripe delivering the first event again, late: amount_refunded is cumulative, the event already applied.
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(first));

        var (balance, purchase, _) = await StateAsync(user);
        Assert.Equal((Money.FromCredits(10), 1500L), (balance, purchase.RefundedCents));
        Assert.Equal("Partially refunded", PurchaseView.From(purchase).StatusLabel);
        Assert.Equal([-Money.FromCredits(10), -Money.FromCredits(5)], (await RefundEntriesAsync(user)).Select(e => e.AmountMicros));
        await AssertLedgerVerifiesAsync();
    }

    [Fact]
    public async Task A_refund_after_credits_were_spent_or_held_takes_only_what_is_free_and_records_the_shortfall()
    {
        var (user, chargeId) = await BuyAsync(25);
        await SpendAsync(user, 15);
        // 5 of the 10 left are held by an API request in flight: they are spoken for.
        await HoldAsync(user, Money.FromCredits(5));

        await RefundAsync(chargeId, 2500);

        var (balance, purchase, _) = await StateAsync(user);
        Assert.Equal((Money.FromCredits(5), 2500L, Money.FromCredits(20)), (balance, purchase.RefundedCents, purchase.ShortfallMicros));
        Assert.Equal(-Money.FromCredits(5), Assert.Single(await RefundEntriesAsync(user)).AmountMicros);

        // The request settles without spending; a second refund event finds nothing more to take.
        await HoldAsync(user, 0);
        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.ChargeRefunded, chargeId));
        Assert.Equal(Money.FromCredits(5), (await StateAsync(user)).Balance);
        await AssertLedgerVerifiesAsync();
    }

    [Fact]
    public async Task A_refund_of_spent_credits_leaves_the_balance_at_zero_with_the_shortfall_on_the_purchase()
    {
        var (user, chargeId) = await BuyAsync(10);
        await SpendAsync(user, 10);

        await RefundAsync(chargeId, 1000);

        var (balance, purchase, _) = await StateAsync(user);
        Assert.Equal((0L, 1000L, Money.FromCredits(10)), (balance, purchase.RefundedCents, purchase.ShortfallMicros));
        Assert.Empty(await RefundEntriesAsync(user));
        await AssertLedgerVerifiesAsync();
    }

    [Fact]
    public async Task Ledger_verification_catches_a_refund_that_is_not_accounted_for()
    {
        var (user, chargeId) = await BuyAsync(10);
        await SpendAsync(user, 4);
        await RefundAsync(chargeId, 1000);
        await AssertLedgerVerifiesAsync();

        await using (var scope = App.CreateScope())
        {
            // Credits returned to the customer, neither taken back nor recorded as spent.
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Purchases.Where(p => p.WorkspaceId == user.WorkspaceId)
                .ExecuteUpdateAsync(p => p.SetProperty(x => x.ShortfallMicros, 0L));
        }

        await using var check = App.CreateScope();
        var verification = await check.ServiceProvider.GetRequiredService<LedgerService>().VerifyAsync();
        Assert.Contains($"workspace {user.WorkspaceId}: refunds of 10.00 but 6.00 taken back and 0.00 recorded as already spent", verification.Problems);
    }

    [Fact]
    public async Task A_dispute_takes_the_disputed_amount_back_once_however_often_it_is_delivered()
    {
        var (user, chargeId) = await BuyAsync(25);
        // Part of the charge, so that applying the event twice would show.
        var disputeId = Fake.Dispute(chargeId, 1000);
        var body = Fake.EventJson(EventTypes.ChargeDisputeCreated, disputeId);

        var deliveries = await Task.WhenAll(DeliverAsync(body), DeliverAsync(body), DeliverAsync(body));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body));

        Assert.All(deliveries, status => Assert.Equal(HttpStatusCode.OK, status));
        var (balance, purchase, _) = await StateAsync(user);
        Assert.Equal((Money.FromCredits(15), 1000L), (balance, purchase.RefundedCents));
        Assert.Single(await RefundEntriesAsync(user));
        await AssertLedgerVerifiesAsync();
    }

    [Fact]
    public async Task A_replayed_refund_event_charges_back_once()
    {
        var (user, chargeId) = await BuyAsync(25);
        var body = await RefundAsync(chargeId, 1000);

        var replays = await Task.WhenAll(DeliverAsync(body), DeliverAsync(body), DeliverAsync(body));

        Assert.All(replays, status => Assert.Equal(HttpStatusCode.OK, status));
        var (balance, purchase, _) = await StateAsync(user);
        Assert.Equal((Money.FromCredits(15), 1000L), (balance, purchase.RefundedCents));
        Assert.Single(await RefundEntriesAsync(user));
        await AssertLedgerVerifiesAsync();
    }
}
