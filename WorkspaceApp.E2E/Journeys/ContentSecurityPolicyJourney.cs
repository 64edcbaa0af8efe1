using System.Collections.Concurrent;
using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>The app's Content-Security-Policy, enforced by a real browser, lets Blazor Server and MudBlazor work.</summary>
[Collection(E2ECollection.Name)]
public sealed class ContentSecurityPolicyJourney(E2EFixture fixture)
{
    [Fact]
    public async Task MudBlazor_pages_and_the_interactive_circuit_run_without_a_single_policy_violation()
    {
        var page = await fixture.NewPageAsync();
        var violations = new ConcurrentQueue<string>();
        page.Console += (_, message) =>
        {
            if (IsViolation(message.Text)) violations.Enqueue(message.Text);
        };
        page.PageError += (_, error) => violations.Enqueue(error);
        var circuits = new ConcurrentQueue<string>();
        page.WebSocket += (_, socket) => circuits.Enqueue(socket.Url);

        var register = await page.GotoAsync("/Account/Register");
        Assert.Contains("frame-ancestors 'self'", (await register!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        var account = new AccountPages(page);
        await account.SignUpAsync("Vandelay");

        // Interactive MudBlazor: a confirmation dialog, the plan chip following the change, the purchase stepper.
        var billing = new BillingPage(page);
        await billing.UpgradeToProAsync();
        await billing.PurchaseButton.ClickAsync();
        await billing.Button("100 credits").ClickAsync();
        await Expect(billing.Total).ToHaveTextAsync("€100.00");

        // The circuit runs over a same-origin WebSocket (connect-src 'self'), not a fallback transport.
        Assert.Contains(circuits, url => url.Contains("/_blazor", StringComparison.Ordinal));
        Assert.Empty(violations);

        // The policy is really enforced, and a violation would have been seen: an injected inline script is refused.
        var refused = await page.RunAndWaitForConsoleMessageAsync(
            () => page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.head.append(s); }"),
            new() { Predicate = message => IsViolation(message.Text) });
        Assert.Contains("script-src", refused.Text, StringComparison.Ordinal);
        Assert.Null(await page.EvaluateAsync<int?>("() => window.injected ?? null"));
    }

    private static bool IsViolation(string text) =>
        text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || text.Contains("Refused to", StringComparison.Ordinal);
}
