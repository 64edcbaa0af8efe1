using System.Text.RegularExpressions;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>Closing a tab with a dialog open ends its circuit quietly: no JSDisconnectedException (or any error) in the log.</summary>
[Collection(E2ECollection.Name)]
public sealed partial class ClosingPageJourney(E2EFixture fixture)
{
    [Fact]
    public async Task Closing_a_page_with_a_dialog_open_logs_no_error()
    {
        // Its own app, logging when circuits are disposed: the test waits for that rather than for a while.
        await using var app = await AppServer.StartAsync(new Dictionary<string, string> { ["Logging:LogLevel:Microsoft.AspNetCore.Components.Server.Circuits"] = "Debug" });
        var page = await fixture.NewPageAsync(options => options.BaseURL = app.BaseUrl);
        var keys = new ApiKeysPage(page);
        await new AccountPages(page).SignUpAsync($"Close {Guid.NewGuid():N}");
        await new BillingPage(page).UpgradeToProAsync();
        await keys.GotoAsync();
        await keys.GenerateButton.ClickAsync();
        await Expect(keys.Dialog.GetByLabel("Name")).ToBeVisibleAsync();
        var disposedBefore = Disposed().Count(app.Log);

        await page.CloseAsync(new() { RunBeforeUnload = true });

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Disposed().Count(app.Log) <= disposedBefore)
        {
            Assert.True(DateTime.UtcNow < deadline, "the closed page's circuit was not disposed within 20 s");
            await Task.Delay(100); // polling the log for the disposal, not waiting for time to pass
        }
        Assert.DoesNotContain("fail:", app.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("JSDisconnectedException", app.Log, StringComparison.Ordinal);
    }

    [GeneratedRegex("Disposing circuit '[^']+' succeeded")]
    private static partial Regex Disposed();
}
