using Bunit;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

public sealed class BillingPageTests : AppTestContext
{
    private static AngleSharp.Dom.IElement Button(IRenderedComponent<BillingPage> page, string text) =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == text);

    [Fact]
    public async Task The_balance_follows_a_ledger_post_from_elsewhere_without_reload()
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        UseAppServices(user, host => { host.AddBilling(); host.AddUsage(); });
        var page = Render<BillingPage>();
        page.WaitForAssertion(() => Assert.Equal("0.00", page.Find("[data-testid=credit-balance]").TextContent));

        // As a webhook or an API request in another scope would.
        await using (var scope = App.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<LedgerService>()
                .PostAsync(user.WorkspaceId, LedgerEntryKind.Adjustment, Money.FromCredits(25), "grant", Actor.From(Actor.OperatorPrincipal));
        }
        // The page's own services share the database, and the notifier is the page's singleton.
        await Services.GetRequiredService<LedgerService>()
            .PostAsync(user.WorkspaceId, LedgerEntryKind.Usage, -250_000, "request", Actor.From(Actor.OperatorPrincipal));

        page.WaitForAssertion(() => Assert.Equal("24.75", page.Find("[data-testid=credit-balance]").TextContent));
        Assert.False(Button(page, "Purchase API credits").HasAttribute("disabled"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Upgrade to Pro");
    }

    [Fact]
    public async Task A_member_sees_billing_read_only()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Trial);
        var member = await App.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        UseAppServices(member, host => { host.AddBilling(); host.AddUsage(); });

        var page = Render<BillingPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=read-only-notice]")));
        Assert.True(Button(page, "Purchase API credits").HasAttribute("disabled"));
        Assert.True(Button(page, "Upgrade to Pro").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_trial_workspace_is_told_why_and_offered_the_upgrade()
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Trial);
        UseAppServices(user, host => { host.AddBilling(); host.AddUsage(); });

        var page = Render<BillingPage>();

        page.WaitForAssertion(() => Assert.Contains("Trial workspaces have no API access", page.Find("[data-testid=trial-cannot-buy]").TextContent, StringComparison.Ordinal));
        Assert.True(Button(page, "Purchase API credits").HasAttribute("disabled"));
        Assert.False(Button(page, "Upgrade to Pro").HasAttribute("disabled"));
        Assert.Contains("API access needs the Pro plan", page.Find("[data-testid=trial-explainer]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_moved_back_to_trial_by_its_subscription_is_told_why()
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        await using (var scope = App.CreateScope())
        {
            // What the subscription webhook does (StripeSubscriptionTests covers the webhook itself).
            var db = scope.ServiceProvider.GetRequiredService<WorkspaceApp.Data.AppDbContext>();
            var workspace = await db.Workspaces.FindAsync(user.WorkspaceId);
            WorkspaceService.ChangePlan(db, workspace!, WorkspacePlan.Trial, StripeRefunds.StripeActor, "The Pro subscription was cancelled in Stripe on 1 May 2026.");
            await db.SaveChangesAsync();
        }
        UseAppServices(user, host => { host.AddBilling(); host.AddUsage(); });

        var page = Render<BillingPage>();

        page.WaitForAssertion(() => Assert.Equal("The Pro subscription was cancelled in Stripe on 1 May 2026.",
            page.Find("[data-testid=plan-change-reason]").TextContent.Trim()));
        Assert.False(Button(page, "Upgrade to Pro").HasAttribute("disabled"));
    }
}
