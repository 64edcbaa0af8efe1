using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using WorkspaceApp.Features.Alerts;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Alerts;

/// <summary>The Billing page's alert and auto top-up forms: bad input shows its error and saves nothing.</summary>
public sealed class AlertFormsTests : AppTestContext
{
    private static IElement Input<T>(IRenderedComponent<T> card, string testId) where T : IComponent
    {
        var element = card.Find($"[data-testid={testId}]");
        return element.TagName == "INPUT" ? element : element.QuerySelector("input")!;
    }

    private static void Click<T>(IRenderedComponent<T> card, string testId) where T : IComponent
    {
        var element = card.Find($"[data-testid={testId}]");
        (element.TagName == "BUTTON" ? element : element.QuerySelector("button")!).Click();
    }

    [Fact]
    public async Task The_threshold_form_refuses_zero_and_text_then_saves_a_valid_threshold()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        UseAppServices(owner, host => host.AddBilling());
        var card = Render<BalanceAlertCard>();
        card.WaitForElement("[data-testid=alert-enabled]");

        Input(card, "alert-enabled").Change(true);
        Input(card, "alert-threshold").Input("0");
        Click(card, "alert-save");
        card.WaitForAssertion(() => Assert.Contains(BalanceAlertService.RangeMessage, card.Markup, StringComparison.Ordinal));
        Input(card, "alert-threshold").Input("ten");
        Click(card, "alert-save");
        card.WaitForAssertion(() => Assert.Contains("'ten' is not a whole number of credits.", card.Markup, StringComparison.Ordinal));
        Assert.False(await App.DbAsync(db => db.BalanceAlerts.AnyAsync()));

        Input(card, "alert-threshold").Input("8");
        Click(card, "alert-save");
        card.WaitForAssertion(() => Assert.Contains("Alert set: below 8 credits.", card.Find("[data-testid=alert-result]").TextContent, StringComparison.Ordinal));
        Assert.Equal(Money.FromCredits(8), await App.DbAsync(db => db.BalanceAlerts.Select(a => a.ThresholdMicros).SingleAsync()));
    }

    [Fact]
    public async Task The_auto_top_up_form_refuses_a_monthly_limit_below_one_top_up_then_switches_on()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        await App.BuyAndSaveCardAsync(owner, credits: 10);
        UseAppServices(owner, host => host.AddBilling());
        var card = Render<AutoTopUpCard>();
        card.WaitForAssertion(() => Assert.Contains("4242", card.Find("[data-testid=saved-card]").TextContent, StringComparison.Ordinal));

        Input(card, "auto-topup-enabled").Change(true);
        Input(card, "auto-topup-below").Input("10");
        Input(card, "auto-topup-credits").Input("50");
        Input(card, "auto-topup-monthly").Input("40");
        Click(card, "auto-topup-save");
        card.WaitForAssertion(() => Assert.Contains("The monthly limit must allow at least one top-up.", card.Markup, StringComparison.Ordinal));
        Input(card, "auto-topup-credits").Input("3");
        Click(card, "auto-topup-save");
        card.WaitForAssertion(() => Assert.Contains(PurchaseRules.RangeMessage, card.Markup, StringComparison.Ordinal));
        Assert.False(await App.DbAsync(db => db.AutoTopUps.AnyAsync(a => a.Enabled)));

        Input(card, "auto-topup-credits").Input("25");
        Click(card, "auto-topup-save");
        card.WaitForAssertion(() => Assert.Equal("Auto top-up is on.", card.Find("[data-testid=auto-topup-result]").TextContent.Trim()));
        var saved = await App.DbAsync(db => db.AutoTopUps.SingleAsync());
        Assert.Equal((true, Money.FromCredits(10), 25, 40), (saved.Enabled, saved.BelowMicros, saved.Credits, saved.MonthlyLimitCredits));
    }

    [Fact]
    public async Task A_member_sees_both_forms_disabled()
    {
        var owner = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        var member = await App.AddMemberAsync(owner.WorkspaceId, WorkspaceRole.Member);
        UseAppServices(member, host => host.AddBilling());
        var alert = Render<BalanceAlertCard>();
        var topUp = Render<AutoTopUpCard>();

        alert.WaitForAssertion(() => Assert.True(Input(alert, "alert-enabled").HasAttribute("disabled")));
        topUp.WaitForAssertion(() => Assert.True(Input(topUp, "auto-topup-enabled").HasAttribute("disabled")));
        Assert.True(alert.Find("[data-testid=alert-save]").HasAttribute("disabled"));
        Assert.True(topUp.Find("[data-testid=auto-topup-save]").HasAttribute("disabled"));
    }
}
