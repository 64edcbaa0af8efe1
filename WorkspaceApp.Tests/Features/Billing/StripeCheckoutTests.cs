using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using EventTypes = Stripe.EventTypes;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>The Stripe provider: real Stripe.net against a fake Stripe on 127.0.0.1, webhooks signed with the secret.</summary>
public class StripeCheckoutTests : StripeAppTests
{
    public StripeCheckoutTests() : this(DatabaseProvider.Sqlite)
    {
    }

    /// <summary>The same tests on another provider (see Features/Postgres).</summary>
    protected StripeCheckoutTests(DatabaseProvider provider) : base(provider)
    {
    }

    [Fact]
    public async Task The_checkout_session_is_opened_in_payment_mode_with_eur_unit_amounts_and_metadata()
    {
        var (user, purchaseId, sessionId) = await StartAsync(credits: 40);
        var session = Fake.Session(sessionId);

        Assert.Equal("payment", session["mode"]!.GetValue<string>());
        Assert.Equal(4000, session["amount_total"]!.GetValue<long>());
        Assert.Equal("eur", session["currency"]!.GetValue<string>());
        Assert.Equal(purchaseId.ToString(System.Globalization.CultureInfo.InvariantCulture), session["metadata"]!["purchase_id"]!.GetValue<string>());
        Assert.Equal(user.WorkspaceId.ToString(System.Globalization.CultureInfo.InvariantCulture), session["metadata"]!["workspace_id"]!.GetValue<string>());
        Assert.Equal($"{BaseUri}billing?purchase={purchaseId}&session_id={{CHECKOUT_SESSION_ID}}", session["success_url"]!.GetValue<string>());
        Assert.Equal(PurchaseStatus.Pending, (await StateAsync(user)).Purchase.Status);
    }

    [Fact]
    public async Task The_same_event_delivered_twice_credits_once()
    {
        var (user, _, sessionId) = await StartAsync();
        Fake.Complete(sessionId);
        var body = Fake.EventJson(EventTypes.CheckoutSessionCompleted, sessionId);

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body, FakeStripe.Sign(body, DateTimeOffset.UtcNow)));
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body, FakeStripe.Sign(body, DateTimeOffset.UtcNow)));
        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CheckoutSessionAsyncPaymentSucceeded, sessionId));

        var (balance, purchase, entries) = await StateAsync(user);
        Assert.Equal(Money.FromCredits(25), balance);
        Assert.Equal(1, entries);
        Assert.Equal(PurchaseStatus.Paid, purchase.Status);
        Assert.StartsWith("pi_", purchase.ProviderPaymentId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_webhook_and_the_return_page_racing_credit_once()
    {
        var purchases = new List<(TestUser User, string SessionId)>();
        for (var i = 0; i < 5; i++)
        {
            var (user, _, sessionId) = await StartAsync();
            Fake.Complete(sessionId);
            purchases.Add((user, sessionId));
        }

        // For each purchase: two webhook deliveries and two return-page loads, all at once.
        await Task.WhenAll(purchases.SelectMany(p => new[]
        {
            DeliverEventAsync(EventTypes.CheckoutSessionCompleted, p.SessionId),
            DeliverEventAsync(EventTypes.CheckoutSessionCompleted, p.SessionId),
            ReturnPageAsync(p.SessionId),
            ReturnPageAsync(p.SessionId),
        }));

        foreach (var (user, _) in purchases)
        {
            var (balance, purchase, entries) = await StateAsync(user);
            Assert.Equal((Money.FromCredits(25), 1, PurchaseStatus.Paid), (balance, entries, purchase.Status));
        }
        await using var scope = App.CreateScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<LedgerService>().VerifyAsync()).Ok);
    }

    private async Task<HttpStatusCode> ReturnPageAsync(string sessionId)
    {
        await using var scope = App.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<StripeFulfilment>().FulfilAsync(sessionId);
        Assert.Contains(result.Outcome, new[] { FulfilmentOutcome.Credited, FulfilmentOutcome.AlreadyCredited });
        return HttpStatusCode.OK;
    }

    [Fact]
    public async Task A_bad_signature_a_stale_timestamp_or_a_changed_body_gets_400_and_credits_nothing()
    {
        var (user, _, sessionId) = await StartAsync();
        Fake.Complete(sessionId);
        var body = Fake.EventJson(EventTypes.CheckoutSessionCompleted, sessionId);
        var now = DateTimeOffset.UtcNow;
        var changed = body.Replace("\"livemode\":false", "\"livemode\":true ", StringComparison.Ordinal)[..^1] + " }";
        var oneByte = body[..^2] + (body[^2] == '}' ? ']' : '}') + body[^1];

        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(body, FakeStripe.Sign(body, now, "whsec_someone_else")));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(body, FakeStripe.Sign(body, now.AddMinutes(-10))));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(oneByte, FakeStripe.Sign(body, now)));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(changed, FakeStripe.Sign(body, now)));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(body, "t=1,v1=00"));
        Assert.Equal(HttpStatusCode.BadRequest, await DeliverAsync(body, ""));

        var (balance, purchase, entries) = await StateAsync(user);
        Assert.Equal((0L, 0, PurchaseStatus.Pending), (balance, entries, purchase.Status));
        // The same body, correctly signed and fresh, is accepted: the refusals above were about the signature.
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body, FakeStripe.Sign(body, now)));
        Assert.Equal(Money.FromCredits(25), (await StateAsync(user)).Balance);
    }

    [Fact]
    public async Task An_unpaid_session_credits_nothing_until_the_delayed_payment_succeeds()
    {
        var (user, _, sessionId) = await StartAsync();
        Fake.Complete(sessionId, paid: false);

        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CheckoutSessionCompleted, sessionId));
        var (balance, purchase, entries) = await StateAsync(user);
        Assert.Equal((0L, 0, PurchaseStatus.Pending), (balance, entries, purchase.Status));

        Fake.Complete(sessionId, paid: true);
        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CheckoutSessionAsyncPaymentSucceeded, sessionId));
        Assert.Equal(Money.FromCredits(25), (await StateAsync(user)).Balance);
    }

    [Fact]
    public async Task The_amount_credited_is_the_amount_stripe_reports_not_what_the_event_body_says()
    {
        var (user, _, sessionId) = await StartAsync(credits: 25);
        Fake.Complete(sessionId);
        // A forged body claiming more money is useless: fulfilment re-reads the session from Stripe.
        var body = Fake.EventJson(EventTypes.CheckoutSessionCompleted, sessionId).Replace("\"amount_total\":2500", "\"amount_total\":999900", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body, FakeStripe.Sign(body, DateTimeOffset.UtcNow)));

        Assert.Equal(Money.FromCredits(25), (await StateAsync(user)).Balance);
    }

    [Fact]
    public async Task A_failed_delayed_payment_and_an_expired_session_close_the_purchase_without_credit()
    {
        var (failedUser, _, failedSession) = await StartAsync();
        Fake.Complete(failedSession, paid: false);
        var (expiredUser, _, expiredSession) = await StartAsync();
        Fake.Expire(expiredSession);

        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CheckoutSessionAsyncPaymentFailed, failedSession));
        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CheckoutSessionExpired, expiredSession));

        var failed = await StateAsync(failedUser);
        var expired = await StateAsync(expiredUser);
        Assert.Equal((0L, PurchaseStatus.Failed), (failed.Balance, failed.Purchase.Status));
        Assert.Equal((0L, PurchaseStatus.Expired), (expired.Balance, expired.Purchase.Status));
    }

    [Fact]
    public async Task Upgrading_to_pro_goes_through_a_subscription_checkout()
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Trial);
        await using var scope = App.CreateScope();
        var upgrade = await scope.ServiceProvider.GetRequiredService<BillingService>().UpgradeToProAsync(user.Principal, user.WorkspaceId, BaseUri);
        Assert.True(upgrade.Succeeded, upgrade.Error);
        var sessionId = upgrade.Value!.SessionId;
        Assert.Equal("subscription", Fake.Session(sessionId)["mode"]!.GetValue<string>());
        Assert.Equal(WorkspacePlan.Trial, (await FindAsync(user)).Plan);

        Fake.Complete(sessionId);
        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CheckoutSessionCompleted, sessionId));

        Assert.Equal(WorkspacePlan.Pro, (await FindAsync(user)).Plan);
    }

    private async Task<WorkspaceSummary> FindAsync(TestUser user)
    {
        await using var scope = App.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<WorkspaceService>().FindForUserAsync(user.UserId))!;
    }

    [Fact]
    public async Task In_test_mode_the_webhook_is_not_there()
    {
        using var plain = new AppFactory(Provider);
        using var client = plain.CreateClient();
        using var content = new StringContent("{}");
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/webhooks/stripe", content)).StatusCode);
    }
}
