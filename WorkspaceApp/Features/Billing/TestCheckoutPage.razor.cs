using Microsoft.AspNetCore.Components;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// The test provider's checkout, standing in for Stripe's hosted page: a card form whose test cards decide the outcome.
/// A decline closes the purchase as failed; Billing then offers to try again. Once Stripe is the provider it takes no
/// payment at all, and a purchase left pending longer than Billing:TestCheckoutExpiryMinutes has expired.
/// </summary>
public partial class TestCheckoutPage
{
    [Inject] private BillingService Billing { get; set; } = null!;
    [Inject] private TestCheckoutService Checkout { get; set; } = null!;
    [Inject] private CurrentWorkspace CurrentWorkspace { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Parameter] public int PurchaseId { get; set; }

    private Purchase? purchase;
    private bool loaded;
    private readonly TestCardForm card = new();
    private IReadOnlyDictionary<string, string> fieldErrors = new Dictionary<string, string>();
    private string? error;
    private bool paying;

    protected override async Task OnParametersSetAsync()
    {
        if (!RendererInfo.IsInteractive) return; // the prerender shows "Loading…" and reads nothing
        purchase = await Checkout.FindAsync(await CurrentWorkspace.GetUserAsync(), PurchaseId);
        loaded = true;
    }

    private bool HasError(string field) => fieldErrors.ContainsKey(field);
    private string? ErrorFor(string field) => fieldErrors.TryGetValue(field, out var message) ? message : null;

    private async Task PayAsync()
    {
        if (paying || purchase is null) return;
        paying = true; // before the first await: a double click pays once
        try
        {
            var result = await Checkout.PayAsync(await CurrentWorkspace.GetUserAsync(), PurchaseId, card);
            fieldErrors = result.FieldErrors;
            if (result.Paid)
            {
                ReturnToBilling();
                return;
            }
            error = result.Error;
            if (error is not null) await OnParametersSetAsync();
        }
        finally
        {
            paying = false;
        }
    }

    private async Task CancelAsync()
    {
        await Billing.CancelTestCheckoutAsync(await CurrentWorkspace.GetUserAsync(), PurchaseId);
        ReturnToBilling();
    }

    private void ReturnToBilling() => Navigation.NavigateTo($"billing?purchase={PurchaseId}");
}
