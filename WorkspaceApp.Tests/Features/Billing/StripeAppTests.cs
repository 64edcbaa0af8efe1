using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>The app with Billing:Provider=Stripe, its Stripe.net client on a fake Stripe at 127.0.0.1, webhooks signed with the secret.</summary>
public abstract class StripeAppTests(DatabaseProvider provider) : IAsyncLifetime
{
    protected const string BaseUri = "https://app.example/";

    protected FakeStripe Fake { get; private set; } = null!;
    protected AppFactory App { get; private set; } = null!;
    protected DatabaseProvider Provider => provider;

    public virtual async Task InitializeAsync()
    {
        Fake = await FakeStripe.StartAsync();
        App = new AppFactory(provider)
            .With("Billing:Provider", "Stripe")
            .With("Stripe:SecretKey", FakeStripe.SecretKey)
            .With("Stripe:WebhookSecret", FakeStripe.WebhookSecret)
            .With("Stripe:ApiBase", Fake.BaseUrl)
            .With("Stripe:ProPriceId", "price_pro_monthly");
    }

    /// <summary>A Pro workspace with a pending purchase whose Stripe Checkout is open.</summary>
    protected async Task<(TestUser User, int PurchaseId, string SessionId)> StartAsync(int credits = 25)
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = App.CreateScope();
        var result = await scope.ServiceProvider.GetRequiredService<BillingService>().StartPurchaseAsync(user.Principal, user.WorkspaceId, credits, BaseUri);
        Assert.True(result.Succeeded, result.Error);
        var purchase = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Purchases.SingleAsync(p => p.WorkspaceId == user.WorkspaceId);
        Assert.Equal(result.Value!.SessionId, purchase.ProviderSessionId);
        return (user, purchase.Id, result.Value.SessionId);
    }

    protected async Task<HttpStatusCode> DeliverAsync(string body, string signature)
    {
        using var client = App.CreateClient();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        content.Headers.Add("Stripe-Signature", signature);
        return (await client.PostAsync("/webhooks/stripe", content)).StatusCode;
    }

    /// <summary>Delivers <paramref name="body"/> signed now, as Stripe does (also when it delivers an event again).</summary>
    protected Task<HttpStatusCode> DeliverAsync(string body) => DeliverAsync(body, FakeStripe.Sign(body, DateTimeOffset.UtcNow));

    protected Task<HttpStatusCode> DeliverEventAsync(string type, string objectId) => DeliverAsync(Fake.EventJson(type, objectId));

    protected async Task<(long Balance, Purchase Purchase, int Entries)> StateAsync(TestUser user)
    {
        await using var scope = App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return ((await db.Workspaces.SingleAsync(w => w.Id == user.WorkspaceId)).BalanceMicros,
            await db.Purchases.SingleAsync(p => p.WorkspaceId == user.WorkspaceId),
            await db.LedgerEntries.CountAsync(e => e.WorkspaceId == user.WorkspaceId));
    }

    public async Task DisposeAsync()
    {
        App.Dispose();
        await Fake.DisposeAsync();
    }
}
