using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// The source document's steps: choose credits, complete payment (the provider's checkout), confirm the new balance.
/// The purchase is created only when the person continues to payment, so Back and Cancel before that leave nothing behind.
/// </summary>
public partial class PurchaseStepper
{
    [Inject] private BillingService Billing { get; set; } = null!;
    [Inject] private CurrentWorkspace CurrentWorkspace { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;

    [Parameter, EditorRequired] public int WorkspaceId { get; set; }
    [Parameter] public bool CanManage { get; set; }
    [Parameter] public long BalanceMicros { get; set; }
    [Parameter] public bool IsTestMode { get; set; } = true;
    /// <summary>The purchase this stepper returns to after checkout, if any; the page keeps it up to date.</summary>
    [Parameter] public PurchaseView? Purchase { get; set; }
    [Parameter] public EventCallback OnClose { get; set; }
    /// <summary>The screen size (from MudBreakpointProvider; none outside it): on a phone the steps stand one under the other.</summary>
    [CascadingParameter] public Breakpoint? ScreenSize { get; set; }

    private static readonly string[] StepTitles = ["Choose credits", "Complete payment", "Confirm balance"];

    private int activeIndex;
    private int focusedIndex = -1;
    private ElementReference stepHeading;
    private string? creditsText;
    private int credits;
    private string? error = PurchaseRules.TryParse(null, out _);
    private bool touched;
    private bool busy;
    private string? notice;
    private Severity noticeSeverity = Severity.Info;
    private int? resumedId;
    private bool saveCard;

    private bool IsPhone => ScreenSize == Breakpoint.Xs;

    private string TotalText => error is null ? Money.FormatEuros(PurchaseRules.TotalCents(credits)) : "—";

    protected override void OnParametersSet()
    {
        // Coming back from checkout: continue at the step that fits the purchase's outcome.
        if (Purchase is null || resumedId == Purchase.Id) return;
        resumedId = Purchase.Id;
        OnCreditsChanged(Purchase.Credits.ToString(System.Globalization.CultureInfo.InvariantCulture));
        (activeIndex, notice, noticeSeverity) = Purchase.Status switch
        {
            PurchaseStatus.Paid => (2, null, Severity.Success),
            PurchaseStatus.Failed => (1, $"Payment failed: {Purchase.FailureMessage} Nothing was charged and no credits were added.", Severity.Error),
            PurchaseStatus.Expired => (1, "Checkout cancelled. Nothing was charged.", Severity.Info),
            _ when !Purchase.IsTest => (2, null, Severity.Info),
            _ => (1, "This checkout was left open. Continue to payment to pay now.", Severity.Info),
        };
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (focusedIndex == activeIndex) return;
        focusedIndex = activeIndex;
        await stepHeading.FocusAsync();
    }

    private void Choose(int choice) => OnCreditsChanged(choice.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private void OnCreditsChanged(string? text)
    {
        creditsText = text;
        touched = true;
        error = PurchaseRules.TryParse(text, out credits);
    }

    // Steps change only through the buttons below them, which know whether a step is done; clicking a step's title does nothing.
    private static Task OnPreviewInteraction(StepperInteractionEventArgs args)
    {
        args.Cancel = true;
        return Task.CompletedTask;
    }

    private async Task ContinueToPaymentAsync()
    {
        if (busy || error is not null) return;
        busy = true; // set before the first await: a second click finds it and does nothing
        notice = null;
        try
        {
            var user = await CurrentWorkspace.GetUserAsync();
            var result = await Billing.StartPurchaseAsync(user, WorkspaceId, credits, Navigation.BaseUri, saveCard: saveCard);
            if (!result.Succeeded)
            {
                (notice, noticeSeverity) = (result.Error, Severity.Error);
                return;
            }
            // The test checkout is a page of this app; Stripe Checkout is another site.
            Navigation.NavigateTo(result.Value!.Url, forceLoad: !IsTestMode);
        }
        finally
        {
            busy = false;
        }
    }

    private void StartOver()
    {
        activeIndex = 0;
        notice = null;
        OnCreditsChanged(null);
        touched = false;
    }

    private Task CancelAsync() => OnClose.InvokeAsync();
}
