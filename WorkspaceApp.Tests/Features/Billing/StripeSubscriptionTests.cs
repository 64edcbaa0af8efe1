using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using EventTypes = Stripe.EventTypes;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Features.Api;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

/// <summary>Pro lasts as long as its Stripe subscription is paid for: cancelled or unpaid moves the workspace back to Trial.</summary>
public class StripeSubscriptionTests : StripeAppTests
{
    public StripeSubscriptionTests() : this(DatabaseProvider.Sqlite)
    {
    }

    protected StripeSubscriptionTests(DatabaseProvider provider) : base(provider)
    {
    }

    /// <summary>A Trial workspace upgraded through a paid subscription checkout.</summary>
    private async Task<(TestUser User, string SessionId, string SubscriptionId)> SubscribeAsync(TestUser? user = null)
    {
        user ??= await App.RegisterAsync(plan: WorkspacePlan.Trial);
        await using var scope = App.CreateScope();
        var upgrade = await scope.ServiceProvider.GetRequiredService<BillingService>().UpgradeToProAsync(user.Principal, user.WorkspaceId, BaseUri);
        Assert.True(upgrade.Succeeded, upgrade.Error);
        var sessionId = upgrade.Value!.SessionId;
        Fake.Complete(sessionId);
        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CheckoutSessionCompleted, sessionId));
        var subscriptionId = Fake.SubscriptionFor(sessionId);
        var workspace = await WorkspaceAsync(user);
        Assert.Equal((WorkspacePlan.Pro, subscriptionId, null), (workspace.Plan, workspace.StripeSubscriptionId, workspace.PlanChangeReason));
        return (user, sessionId, subscriptionId);
    }

    private async Task<Workspace> WorkspaceAsync(TestUser user)
    {
        await using var scope = App.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces.AsNoTracking().SingleAsync(w => w.Id == user.WorkspaceId);
    }

    /// <summary>Stripe moves the subscription to <paramref name="status"/> and reports it.</summary>
    private async Task<string> ChangeAsync(string subscriptionId, string status, string type)
    {
        Fake.SetSubscriptionStatus(subscriptionId, status);
        var body = Fake.EventJson(type, subscriptionId);
        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(body));
        return body;
    }

    [Fact]
    public async Task A_cancelled_subscription_moves_the_workspace_back_to_trial_and_the_api_refuses_the_next_request()
    {
        var (user, _, subscriptionId) = await SubscribeAsync();
        var id = user.WorkspaceId.ToString(CultureInfo.InvariantCulture);
        Assert.Equal(0, (await App.OpsAsync("credits", "grant", "--workspace", id, "--credits", "10", "--reason", "test")).ExitCode);
        var created = await App.OpsAsync("keys", "create", "--workspace", id, "--name", "Test key");
        var key = created.Output.Split('\n').Single(l => l.StartsWith("key: ", StringComparison.Ordinal))[5..].Trim();
        using var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await ApiWorkspace.ChatAsync(client)).StatusCode);
        var balance = (await WorkspaceAsync(user)).BalanceMicros;

        await ChangeAsync(subscriptionId, "canceled", EventTypes.CustomerSubscriptionDeleted);

        var refused = await ApiWorkspace.ChatAsync(client);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("plan_no_api_access", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var workspace = await WorkspaceAsync(user);
        Assert.Equal(WorkspacePlan.Trial, workspace.Plan);
        Assert.Contains("cancelled", workspace.PlanChangeReason, StringComparison.Ordinal);
        Assert.Equal(balance, workspace.BalanceMicros); // the credits stay for when Pro comes back
        await using var scope = App.CreateScope();
        var audit = await scope.ServiceProvider.GetRequiredService<AppDbContext>().AuditEvents
            .SingleAsync(a => a.WorkspaceId == user.WorkspaceId && a.Action == "plan.changed" && a.ActorName == "Stripe");
        Assert.StartsWith("Plan changed from Pro to Trial", audit.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unpaid_subscription_moves_the_workspace_back_to_trial_until_it_is_paid_but_past_due_does_not()
    {
        var (user, _, subscriptionId) = await SubscribeAsync();

        await ChangeAsync(subscriptionId, "past_due", EventTypes.CustomerSubscriptionUpdated);
        Assert.Equal(WorkspacePlan.Pro, (await WorkspaceAsync(user)).Plan); // Stripe still retries the payment
        await ChangeAsync(subscriptionId, "unpaid", EventTypes.CustomerSubscriptionUpdated);

        var workspace = await WorkspaceAsync(user);
        Assert.Equal(WorkspacePlan.Trial, workspace.Plan);
        Assert.Contains("unpaid", workspace.PlanChangeReason, StringComparison.Ordinal);

        // The customer pays the open invoice: Stripe charges for Pro again, so Pro is back.
        await ChangeAsync(subscriptionId, "active", EventTypes.CustomerSubscriptionUpdated);
        workspace = await WorkspaceAsync(user);
        Assert.Equal((WorkspacePlan.Pro, null), (workspace.Plan, workspace.PlanChangeReason));
    }

    [Fact]
    public async Task An_active_update_delivered_after_the_cancellation_does_not_bring_pro_back()
    {
        var (user, sessionId, subscriptionId) = await SubscribeAsync();
        // Written by Stripe while the subscription was still active, delivered after its deletion.
        var late = Fake.EventJson(EventTypes.CustomerSubscriptionUpdated, subscriptionId);
        await ChangeAsync(subscriptionId, "canceled", EventTypes.CustomerSubscriptionDeleted);

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(late));
        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CheckoutSessionCompleted, sessionId));
        await using (var scope = App.CreateScope())
        {
            // The old return page, reloaded.
            await scope.ServiceProvider.GetRequiredService<StripeFulfilment>().FulfilAsync(sessionId);
        }

        Assert.Equal(WorkspacePlan.Trial, (await WorkspaceAsync(user)).Plan);
    }

    [Fact]
    public async Task A_replayed_cancellation_does_nothing_to_a_workspace_that_subscribed_again()
    {
        var (user, _, first) = await SubscribeAsync();
        var cancellation = await ChangeAsync(first, "canceled", EventTypes.CustomerSubscriptionDeleted);
        var (_, _, second) = await SubscribeAsync(user);

        Assert.Equal(HttpStatusCode.OK, await DeliverAsync(cancellation));
        Assert.Equal(HttpStatusCode.OK, await DeliverEventAsync(EventTypes.CustomerSubscriptionDeleted, first));

        var workspace = await WorkspaceAsync(user);
        Assert.Equal((WorkspacePlan.Pro, second, null), (workspace.Plan, workspace.StripeSubscriptionId, workspace.PlanChangeReason));
    }

    [Fact]
    public async Task A_pro_workspace_with_no_stored_subscription_is_found_by_the_subscription_metadata()
    {
        var (user, _, subscriptionId) = await SubscribeAsync();
        await using (var scope = App.CreateScope())
        {
            // Upgraded before the subscription id was stored.
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Workspaces.Where(w => w.Id == user.WorkspaceId)
                .ExecuteUpdateAsync(w => w.SetProperty(x => x.StripeSubscriptionId, (string?)null));
        }

        await ChangeAsync(subscriptionId, "canceled", EventTypes.CustomerSubscriptionDeleted);

        Assert.Equal(WorkspacePlan.Trial, (await WorkspaceAsync(user)).Plan);
    }
}
