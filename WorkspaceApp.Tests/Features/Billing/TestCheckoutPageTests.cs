using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

public sealed class TestCheckoutPageTests : AppTestContext
{
    [Fact]
    public async Task With_stripe_as_the_provider_the_page_says_so_and_offers_no_card_form()
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        int purchaseId;
        await using (var scope = App.CreateScope())
        {
            var started = await scope.ServiceProvider.GetRequiredService<BillingService>().StartPurchaseAsync(user.Principal, user.WorkspaceId, 25, "http://localhost/");
            purchaseId = (await scope.ServiceProvider.GetRequiredService<AppDbContext>().Purchases.FindAsync(int.Parse(started.Value!.Url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture)))!.Id;
        }
        // The same database, now deployed with Stripe.
        UseAppServices(user, host =>
        {
            host.AddBilling();
            host.Services.AddSingleton(new BillingMode(Options.Create(new BillingOptions { Provider = BillingProvider.Stripe }), new HostingEnvironment { EnvironmentName = "Production" }));
        });

        var page = Render<TestCheckoutPage>(p => p.Add(c => c.PurchaseId, purchaseId));

        page.WaitForAssertion(() => Assert.Contains(TestCheckoutService.Disabled, page.Find("[data-testid=checkout-disabled]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("input"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim().StartsWith("Pay", StringComparison.Ordinal));
    }
}
