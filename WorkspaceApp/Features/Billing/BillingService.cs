using System.Linq.Expressions;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>What the Billing page does: buy credits, upgrade to Pro, list purchases. Every method checks the role itself.</summary>
public sealed class BillingService(
    IDbContextFactory<AppDbContext> dbFactory, WorkspaceAccess access, IPaymentProvider provider,
    WorkspaceService workspaces, PurchaseFulfilment fulfilment, TimeProvider clock, ILogger<BillingService> logger)
{
    public const string NotAllowed = "Only workspace owners and admins can manage billing.";
    public const string TrialCannotBuy = "API credits need the Pro plan: Trial workspaces have no API access. Upgrade to Pro first.";

    public bool IsTestMode => provider.IsTestMode;
    public bool IsStripe => provider.Name == StripePaymentProvider.ProviderName;

    /// <summary>Creates a pending purchase and opens the provider's checkout for it; <paramref name="saveCard"/> keeps the card for auto top-up.</summary>
    public async Task<BillingResult<CheckoutRedirect>> StartPurchaseAsync(
        ClaimsPrincipal user, int workspaceId, int credits, string baseUri, bool saveCard = false, CancellationToken ct = default)
    {
        if (await access.RefusalAsync(user, workspaceId, WorkspacePolicies.ManageBilling, NotAllowed) is { } refused) return BillingResult.Fail<CheckoutRedirect>(refused);
        if (PurchaseRules.Validate(credits) is { } invalid) return BillingResult.Fail<CheckoutRedirect>(invalid);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plan = await db.Workspaces.Where(w => w.Id == workspaceId).Select(w => (WorkspacePlan?)w.Plan).SingleOrDefaultAsync(ct);
        if (plan != WorkspacePlan.Pro) return BillingResult.Fail<CheckoutRedirect>(TrialCannotBuy);

        var actor = Actor.From(user);
        var purchase = new Purchase
        {
            WorkspaceId = workspaceId,
            Credits = credits,
            AmountCents = PurchaseRules.TotalCents(credits),
            Currency = PurchaseRules.Currency,
            Status = PurchaseStatus.Pending,
            Provider = provider.Name,
            CreatedByUserId = actor.UserId ?? "",
            CreatedByName = actor.Name,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            SaveCard = saveCard,
        };
        db.Purchases.Add(purchase);
        await db.SaveChangesAsync(ct);

        try
        {
            var checkout = await provider.StartCreditsCheckoutAsync(purchase, baseUri, ct);
            purchase.ProviderSessionId = checkout.SessionId;
            await db.SaveChangesAsync(ct);
            return BillingResult.Ok<CheckoutRedirect>(checkout);
        }
        catch (Stripe.StripeException ex)
        {
            logger.LogError(ex, "Stripe refused to open a checkout for purchase {PurchaseId}", purchase.Id);
            await fulfilment.CloseUnpaidAsync(purchase.Id, PurchaseStatus.Failed, "The payment provider could not open a checkout.", ct: ct);
            return BillingResult.Fail<CheckoutRedirect>("The payment provider is not available right now. Nothing was charged; please try again.");
        }
    }

    /// <summary>Upgrades to Pro: at once in test mode (null checkout), else through a subscription checkout.</summary>
    public async Task<BillingResult<CheckoutRedirect?>> UpgradeToProAsync(
        ClaimsPrincipal user, int workspaceId, string baseUri, CancellationToken ct = default)
    {
        if (await access.RefusalAsync(user, workspaceId, WorkspacePolicies.ManageBilling, NotAllowed) is { } refused) return BillingResult.Fail<CheckoutRedirect?>(refused);
        var actor = Actor.From(user);
        try
        {
            var checkout = await provider.StartProCheckoutAsync(workspaceId, actor.UserId ?? "", baseUri, ct);
            if (checkout is null) await workspaces.SetPlanAsync(workspaceId, WorkspacePlan.Pro, actor, ct);
            return BillingResult.Ok<CheckoutRedirect?>(checkout);
        }
        catch (Stripe.StripeException ex)
        {
            logger.LogError(ex, "Stripe refused to open the Pro checkout for workspace {WorkspaceId}", workspaceId);
            return BillingResult.Fail<CheckoutRedirect?>("The payment provider is not available right now. Please try again.");
        }
    }

    /// <summary>Leaves the in-app test checkout: the purchase expires unpaid.</summary>
    public async Task<BillingResult<bool>> CancelTestCheckoutAsync(ClaimsPrincipal user, int purchaseId, CancellationToken ct = default)
    {
        var purchase = await FindForManagerAsync(user, purchaseId, ct);
        if (purchase is null) return BillingResult.Fail<bool>(NotAllowed);
        if (purchase.Provider != TestPaymentProvider.ProviderName) return BillingResult.Fail<bool>("Only test checkouts can be cancelled here.");
        await fulfilment.CloseUnpaidAsync(purchaseId, PurchaseStatus.Expired, "Checkout cancelled. Nothing was charged.", ct: ct);
        return BillingResult.Ok<bool>(true);
    }

    public Task<IReadOnlyList<PurchaseView>> ListPurchasesAsync(ClaimsPrincipal user, int workspaceId, int take = 50, CancellationToken ct = default) =>
        QueryAsync(user, workspaceId, p => true, take, ct);

    public async Task<PurchaseView?> FindPurchaseAsync(ClaimsPrincipal user, int workspaceId, int purchaseId, CancellationToken ct = default) =>
        (await QueryAsync(user, workspaceId, p => p.Id == purchaseId, 1, ct)) is [var found] ? found : null;

    /// <summary>The purchase, when the user may manage billing in its workspace.</summary>
    internal async Task<Purchase?> FindForManagerAsync(ClaimsPrincipal user, int purchaseId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var purchase = await db.Purchases.AsNoTracking().SingleOrDefaultAsync(p => p.Id == purchaseId, ct);
        return purchase is not null && await access.IsAllowedAsync(user, purchase.WorkspaceId, WorkspacePolicies.ManageBilling) ? purchase : null;
    }

    private async Task<IReadOnlyList<PurchaseView>> QueryAsync(
        ClaimsPrincipal user, int workspaceId, Expression<Func<Purchase, bool>> filter, int take, CancellationToken ct)
    {
        if (!await access.IsAllowedAsync(user, workspaceId, WorkspacePolicies.View)) return [];
        await fulfilment.ExpireTestCheckoutsAsync(workspaceId, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Purchases.AsNoTracking().Where(p => p.WorkspaceId == workspaceId).Where(filter)
            .OrderByDescending(p => p.Id).Take(take).ToListAsync(ct);
        return rows.Select(PurchaseView.From).ToList();
    }
}
