using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Stripe;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Features.Billing;

/// <summary>
/// The Pro plan follows its Stripe subscription: once the subscription is cancelled or unpaid the workspace is back on
/// Trial, with the reason shown on Billing; an unpaid one paid after all brings Pro back. Stripe is asked for the
/// subscription's state, so events delivered late or twice cannot undo a later change.
/// </summary>
public sealed class StripeSubscriptions(
    IStripeFacade stripe, IDbContextFactory<AppDbContext> dbFactory, WorkspaceChangeNotifier notifier,
    TimeProvider clock, ILogger<StripeSubscriptions> logger)
{
    /// <summary>Statuses in which Stripe no longer collects payment for the subscription.</summary>
    public static bool HasEnded(string? status) => status is "canceled" or "unpaid" or "incomplete_expired";

    public async Task ApplyAsync(string eventId, string type, Subscription fromEvent, CancellationToken ct = default)
    {
        await using (var check = await dbFactory.CreateDbContextAsync(ct))
        {
            if (await WebhookEventLog.WasAppliedAsync(check, eventId, ct)) return;
        }
        // As Stripe reports it now, so events arriving out of order cannot undo a later state.
        var subscription = await stripe.GetSubscriptionAsync(fromEvent.Id, ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await WebhookEventLog.ClaimAsync(db, eventId, type, clock.GetUtcNow().UtcDateTime, ct)) return;
        var workspace = await FindWorkspaceAsync(db, subscription, ct);
        var changed = workspace is not null && (HasEnded(subscription.Status)
            ? WorkspaceService.ChangePlan(db, workspace, WorkspacePlan.Trial, StripeRefunds.StripeActor, Reason(subscription.Status))
            : IsResumed(workspace, subscription) && WorkspaceService.ChangePlan(db, workspace, WorkspacePlan.Pro, StripeRefunds.StripeActor));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (!changed) return;
        logger.LogInformation("Workspace {WorkspaceId} is now on {Plan}: subscription {SubscriptionId} is {Status}",
            workspace!.Id, workspace.Plan, subscription.Id, subscription.Status);
        notifier.Publish(workspace.Id);
    }

    /// <summary>
    /// An unpaid subscription whose invoice was paid after all is active again (a cancelled one never is): the workspace
    /// it moved back to Trial, and that nobody has moved since, is Pro again, since Stripe charges for it again.
    /// </summary>
    private static bool IsResumed(Workspace workspace, Subscription subscription) =>
        subscription.Status is "active" or "trialing" && workspace.StripeSubscriptionId == subscription.Id
        && workspace is { Plan: WorkspacePlan.Trial, PlanChangeReason: not null };

    /// <summary>
    /// The workspace this subscription pays for; by metadata only while the workspace has recorded no subscription
    /// (the checkout's webhook not yet applied), so an old subscription cannot end a newer one's Pro plan.
    /// </summary>
    private static async Task<Workspace?> FindWorkspaceAsync(AppDbContext db, Subscription subscription, CancellationToken ct)
    {
        var byId = await db.Workspaces.FirstOrDefaultAsync(w => w.StripeSubscriptionId == subscription.Id, ct);
        if (byId is not null) return byId;
        return subscription.Metadata?.TryGetValue("workspace_id", out var value) == true
            && int.TryParse(value, CultureInfo.InvariantCulture, out var workspaceId)
            ? await db.Workspaces.FirstOrDefaultAsync(w => w.Id == workspaceId && w.StripeSubscriptionId == null, ct)
            : null;
    }

    private string Reason(string status)
    {
        var on = clock.GetUtcNow().UtcDateTime.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
        return status == "unpaid"
            ? $"The Pro subscription's payment failed and Stripe marked it unpaid on {on}. API access stops until you upgrade again."
            : $"The Pro subscription was cancelled in Stripe on {on}. API access stops until you upgrade again.";
    }
}
