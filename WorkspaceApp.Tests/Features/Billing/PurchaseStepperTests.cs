using Bunit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Workspaces;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Billing;

public sealed class PurchaseStepperTests : AppTestContext
{
    private async Task<IRenderedComponent<PurchaseStepper>> RenderStepperAsync(Action? onClose = null)
    {
        var user = await App.RegisterAsync(plan: WorkspacePlan.Pro);
        UseAppServices(user, host => host.AddBilling());
        return Render<PurchaseStepper>(p => p
            .Add(s => s.WorkspaceId, user.WorkspaceId)
            .Add(s => s.CanManage, true)
            .Add(s => s.OnClose, () => onClose?.Invoke()));
    }

    private static string Total(IRenderedComponent<PurchaseStepper> stepper) => stepper.Find("[data-testid=purchase-total]").TextContent;
    private static AngleSharp.Dom.IElement Button(IRenderedComponent<PurchaseStepper> stepper, string text) =>
        stepper.FindAll("button").Single(b => b.TextContent.Trim() == text);

    [Fact]
    public async Task The_total_follows_the_quantity_as_it_is_typed_or_chosen()
    {
        var stepper = await RenderStepperAsync();
        Assert.Equal("—", Total(stepper));
        Assert.True(Button(stepper, "Next").HasAttribute("disabled"));

        stepper.Find("input").Input("2");
        Assert.Equal("—", Total(stepper)); // 2 is below the minimum
        stepper.Find("input").Input("25");
        Assert.Equal("€25.00", Total(stepper));
        stepper.Find("input").Input("10000");
        Assert.Equal("€10,000.00", Total(stepper));
        Button(stepper, "50 credits").Click();
        Assert.Equal("€50.00", Total(stepper));
        Assert.Equal("50", stepper.Find("input").GetAttribute("value"));
        Assert.False(Button(stepper, "Next").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("0", "from 5 to 10,000")]
    [InlineData("4", "from 5 to 10,000")]
    [InlineData("10001", "from 5 to 10,000")]
    [InlineData("-5", "from 5 to 10,000")]
    [InlineData("1.5", "whole numbers")]
    [InlineData("text", "is not a number")]
    [InlineData("", "Enter how many credits")]
    public async Task Out_of_range_quantities_show_a_clear_message_and_block_the_next_step(string typed, string message)
    {
        var stepper = await RenderStepperAsync();
        stepper.Find("input").Input("25");

        stepper.Find("input").Input(typed);

        Assert.Contains(message, stepper.Find(".mud-input-error").TextContent, StringComparison.Ordinal);
        Assert.Equal("—", Total(stepper));
        var next = Button(stepper, "Next");
        Assert.True(next.HasAttribute("disabled"));
        next.Click(); // a click that slips through changes nothing
        Assert.Single(stepper.FindAll("input"));
        Assert.Empty(stepper.FindAll("[data-testid=summary-total]"));
    }

    [Fact]
    public async Task Next_back_and_cancel_move_between_steps_without_losing_the_choice()
    {
        var closed = false;
        var stepper = await RenderStepperAsync(() => closed = true);
        Button(stepper, "100 credits").Click();

        Button(stepper, "Next").Click();
        Assert.Equal("€100.00", stepper.Find("[data-testid=summary-total]").TextContent);
        Assert.Equal("100", stepper.Find("[data-testid=summary-credits]").TextContent);

        Button(stepper, "Back").Click();
        Assert.Equal("100", stepper.Find("input").GetAttribute("value"));
        Assert.Equal("€100.00", Total(stepper));

        Button(stepper, "Next").Click();
        Button(stepper, "Cancel").Click();
        Assert.True(closed);
    }

    [Fact]
    public async Task Clicking_a_step_title_does_not_skip_ahead()
    {
        var stepper = await RenderStepperAsync();
        stepper.FindAll("button.mud-step")[^1].Click();
        Assert.Single(stepper.FindAll("input"));
    }
}
