using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>The test checkout takes no payment once Stripe is the provider, and its pending purchases expire.</summary>
public sealed class TestCheckoutModeTests() : StripeAppTests(DatabaseProvider.Sqlite)
{
    private static TestCardForm Card => new() { Number = TestCards.Success, Expiry = $"12/{(DateTime.UtcNow.Year + 2) % 100:00}", Cvc = "123" };

    [Fact]
    public async Task A_purchase_left_pending_in_test_mode_cannot_be_paid_once_stripe_is_the_provider()
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = App.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // What a deploy that ran in test mode left behind.
        var purchase = new Purchase
        {
            WorkspaceId = user.WorkspaceId, Credits = 25, AmountCents = 2500, Currency = "eur", Status = PurchaseStatus.Pending,
            Provider = "test", ProviderSessionId = "test_left_over", CreatedByUserId = user.UserId, CreatedByName = user.Email,
            CreatedAtUtc = DateTime.UtcNow,
        };
        db.Purchases.Add(purchase);
        await db.SaveChangesAsync();

        var result = await scope.ServiceProvider.GetRequiredService<TestCheckoutService>().PayAsync(user.Principal, purchase.Id, Card);

        Assert.False(result.Paid);
        Assert.Equal(TestCheckoutService.Disabled, result.Error);
        var (balance, after, entries) = await StateAsync(user);
        Assert.Equal((0L, 0, PurchaseStatus.Pending), (balance, entries, after.Status));
    }

    [Fact]
    public async Task A_pending_test_checkout_expires_after_the_configured_time()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = new ClockedAppFactory(clock).With("Billing:TestCheckoutExpiryMinutes", "60");
        var user = await app.RegisterAsync(plan: WorkspacePlan.Pro);
        await using var scope = app.CreateScope();
        var billing = scope.ServiceProvider.GetRequiredService<BillingService>();
        var checkout = scope.ServiceProvider.GetRequiredService<TestCheckoutService>();
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var started = await billing.StartPurchaseAsync(user.Principal, user.WorkspaceId, 10, "http://localhost/");
            ids.Add(int.Parse(started.Value!.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture));
        }

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.True((await checkout.PayAsync(user.Principal, ids[0], Card)).Paid);
        clock.Advance(TimeSpan.FromMinutes(2));
        var late = await checkout.PayAsync(user.Principal, ids[1], Card);

        Assert.Equal(PurchaseFulfilment.TestCheckoutExpired, late.Error);
        var listed = await billing.ListPurchasesAsync(user.Principal, user.WorkspaceId);
        Assert.Equal([PurchaseStatus.Expired, PurchaseStatus.Expired, PurchaseStatus.Paid], listed.Select(p => p.Status));
        Assert.Equal(PurchaseFulfilment.TestCheckoutExpired, listed[0].FailureMessage);
        Assert.Equal(Money.FromCredits(10), (await app.Services.GetRequiredService<LedgerService>().GetBalanceAsync(user.WorkspaceId)));
    }

    /// <summary>The app on a clock the test moves.</summary>
    private sealed class ClockedAppFactory(TimeProvider clock) : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
    }
}
