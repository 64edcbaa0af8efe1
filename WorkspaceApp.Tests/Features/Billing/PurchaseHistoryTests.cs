using Bunit;
using Microsoft.JSInterop;
using MudBlazor;
using MudBlazor.Services;
using WorkspaceApp.Features.Billing;
using Microsoft.Extensions.DependencyInjection;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>Refunds in the purchase history: the status chip and the receipt say how much came back and what was already spent.</summary>
public sealed class PurchaseHistoryTests : BunitContext, IAsyncLifetime
{
    private static PurchaseView Purchase(int id, long refundedCents, long shortfallMicros) => new(
        id, 25, 2500, PurchaseStatus.Paid, StripePaymentProvider.ProviderName, "4242", null, "ada@example.com",
        new DateTime(2026, 5, 1, 10, 0, 0, DateTimeKind.Utc), new DateTime(2026, 5, 1, 10, 1, 0, DateTimeKind.Utc), refundedCents, shortfallMicros);

    public PurchaseHistoryTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void Refunded_purchases_show_it_in_the_chip_and_the_receipt_shows_the_shortfall()
    {
        var dialogs = Render<MudDialogProvider>();
        var history = Render<PurchaseHistory>(p => p.Add(h => h.Purchases, [Purchase(3, 2500, 20_000_000), Purchase(2, 1000, 0), Purchase(1, 0, 0)]));

        Assert.Equal(["Refunded", "Partially refunded", "Paid"], history.FindAll("[data-testid=purchase-status]").Select(c => c.TextContent.Trim()));
        history.Find("button[aria-label='View receipt for purchase 3']").Click();

        dialogs.WaitForAssertion(() => Assert.Equal("€25.00", dialogs.Find("[data-testid=receipt-refunded]").TextContent.Trim()));
        Assert.StartsWith("20.00 credits", dialogs.Find("[data-testid=receipt-shortfall]").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_receipt_without_refunds_shows_no_refund_lines()
    {
        var dialogs = Render<MudDialogProvider>();
        var history = Render<PurchaseHistory>(p => p.Add(h => h.Purchases, [Purchase(1, 0, 0)]));

        history.Find("button[aria-label='View receipt for purchase 1']").Click();

        dialogs.WaitForAssertion(() => Assert.NotNull(dialogs.Find("[data-testid=receipt-total]")));
        Assert.Empty(dialogs.FindAll("[data-testid=receipt-refunded]"));
        Assert.Empty(dialogs.FindAll("[data-testid=receipt-shortfall]"));
    }

    [Fact]
    public void Only_a_paid_purchase_offers_a_receipt()
    {
        PurchaseView Closed(int id, PurchaseStatus status) => Purchase(id, 0, 0) with { Status = status, FailureMessage = "Card declined." };
        var history = Render<PurchaseHistory>(p => p.Add(h => h.Purchases,
            [Closed(4, PurchaseStatus.Failed), Closed(3, PurchaseStatus.Expired), Closed(2, PurchaseStatus.Pending), Purchase(1, 0, 0)]));

        Assert.Equal(["View receipt for purchase 1"], history.FindAll("button[aria-label^='View receipt']").Select(b => b.GetAttribute("aria-label")));
        Assert.Equal(3, history.FindAll("[data-testid=no-receipt]").Count);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that only dispose asynchronously.
    async Task IAsyncLifetime.DisposeAsync() => await Services.DisposeAsync();
}
