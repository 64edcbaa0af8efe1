using Microsoft.AspNetCore.Components;
using MudBlazor;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// The plan, the live credit balance, the purchase stepper and the purchase history. Checkout returns here
/// with ?purchase=ID (and, from Stripe, &amp;session_id=...), which reopens the stepper at the fitting step.
/// </summary>
public sealed partial class BillingPage
{
    [Inject] private BillingService Billing { get; set; } = null!;
    [Inject] private NavigationManager Navigation { get; set; } = null!;
    [Inject] private IDialogService Dialogs { get; set; } = null!;
    [Inject] private IServiceProvider Services { get; set; } = null!;
    [Inject] private UsageService Usage { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "purchase")] public int? ReturnedPurchaseId { get; set; }
    [SupplyParameterFromQuery(Name = "session_id")] public string? SessionId { get; set; }

    private IReadOnlyList<PurchaseView> purchases = [];
    private PurchaseView? returnedPurchase;
    private BurnRate? burnRate;
    private bool stepperOpen;
    private MudButton? purchaseButton;
    private bool focusPurchase;
    private bool upgrading;
    private string? message;
    private Severity messageSeverity = Severity.Info;

    private string? PurchaseBlockedReason => Workspace switch
    {
        { CanManage: false } => BillingService.NotAllowed,
        { Plan: WorkspacePlan.Trial } => "Upgrade to Pro to buy API credits.",
        _ => null,
    };

    protected override async Task OnInitializedAsync()
    {
        if (SessionId is { Length: > 0 } && Billing.IsStripe && RendererInfo.IsInteractive)
        {
            // The return page fulfils too, so the balance is right even before the webhook arrives.
            await Services.GetRequiredService<StripeFulfilment>().FulfilAsync(SessionId);
        }
        await base.OnInitializedAsync();
        stepperOpen = returnedPurchase is not null;
    }

    protected override async Task LoadAsync(WorkspaceSummary workspace)
    {
        var user = await CurrentWorkspace.GetUserAsync();
        purchases = await Billing.ListPurchasesAsync(user, workspace.Id);
        burnRate = await Usage.GetBurnRateAsync(user, workspace.Id, workspace.BalanceMicros);
        if (ReturnedPurchaseId is { } id) returnedPurchase = await Billing.FindPurchaseAsync(user, workspace.Id, id);
    }

    private void OpenStepper()
    {
        returnedPurchase = null;
        stepperOpen = true;
    }

    private void CloseStepper()
    {
        stepperOpen = false;
        returnedPurchase = null;
        focusPurchase = true; // focus returns to the button that opened the stepper, not to the page body
        // Forget ?purchase=..., so a reload does not reopen the stepper.
        if (ReturnedPurchaseId is not null) Navigation.NavigateTo("billing", replace: true);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!focusPurchase || purchaseButton is null) return;
        focusPurchase = false;
        await purchaseButton.FocusAsync();
    }

    private async Task UpgradeAsync()
    {
        if (Workspace is null || upgrading) return;
        upgrading = true;
        try
        {
            if (Billing.IsTestMode)
            {
                var confirmed = await Dialogs.ShowMessageBoxAsync(new MessageBoxOptions
                {
                    Title = "Upgrade to Pro",
                    // Names the price (nothing, in test mode; Stripe Checkout shows the real one) and a way back.
                    Message = "Your workspace moves to the Pro plan: API access, API keys and API credits. "
                        + "Price: €0.00 in test mode, no payment is taken. You can stay on Trial and upgrade later.",
                    YesText = "Upgrade",
                    CancelText = "Stay on Trial",
                });
                if (confirmed != true) return;
            }
            var result = await Billing.UpgradeToProAsync(await CurrentWorkspace.GetUserAsync(), Workspace.Id, Navigation.BaseUri);
            if (!result.Succeeded)
            {
                (message, messageSeverity) = (result.Error, Severity.Error);
                return;
            }
            if (result.Value is { } checkout)
            {
                Navigation.NavigateTo(checkout.Url, forceLoad: true);
                return;
            }
            (message, messageSeverity) = ("Your workspace is now on the Pro plan. You can buy API credits.", Severity.Success);
            await ReloadAsync();
        }
        finally
        {
            upgrading = false;
        }
    }

}
