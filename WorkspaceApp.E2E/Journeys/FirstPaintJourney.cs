using Microsoft.Playwright;
using WorkspaceApp.E2E.Infrastructure;
using WorkspaceApp.E2E.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>
/// The interactive pages are prerendered: their heading and a skeleton arrive in the first HTML, before the live
/// connection is up, and nothing can be clicked until it is. Prints the time to the h1 and to interactivity.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class FirstPaintJourney(E2EFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] Pages = ["/", "/billing", "/settings/api-keys"];

    // Records (in ms since navigation start) when an h1 first exists and when the app bar's menu button first
    // becomes usable (it is disabled until the circuit is up). Injected by Playwright, so the app's CSP does not apply.
    private const string PaintProbe = """
        window.__paint = {};
        new MutationObserver(() => {
            const t = performance.now();
            if (window.__paint.h1 === undefined && document.querySelector('h1')) window.__paint.h1 = t;
            const toggle = document.querySelector('[aria-label="Toggle navigation"]');
            if (window.__paint.interactive === undefined && toggle && !toggle.disabled) window.__paint.interactive = t;
        }).observe(document, { subtree: true, childList: true, attributes: true });
        """;

    [Fact]
    public async Task The_heading_paints_before_the_page_is_interactive()
    {
        var page = await fixture.NewPageAsync();
        await new AccountPages(page).SignUpAsync($"Paint {Guid.NewGuid():N}");
        await page.Context.AddInitScriptAsync(PaintProbe);
        var late = new List<string>();

        foreach (var path in Pages)
        {
            var times = new List<(double H1, double Interactive, double Fcp)>();
            for (var i = 0; i < 3; i++)
            {
                await page.GotoAsync(path);
                await Expect(page.Locator("[aria-label='Toggle navigation']")).ToBeEnabledAsync();
                var t = await page.EvaluateAsync<double[]>("""
                    () => [window.__paint.h1, window.__paint.interactive,
                           performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1]
                    """);
                times.Add((t[0], t[1], t[2]));
            }
            var median = times.OrderBy(x => x.H1).ElementAt(1);
            output.WriteLine($"{path}: h1 at {median.H1:0} ms, first contentful paint {median.Fcp:0} ms, interactive at {median.Interactive:0} ms");
            if (!times.All(x => x.H1 < x.Interactive))
                late.Add($"{path}: the h1 appeared only with the interactive render ({string.Join(", ", times.Select(x => $"h1 {x.H1:0} / interactive {x.Interactive:0} ms"))})");
        }
        Assert.True(late.Count == 0, string.Join("\n", late));
    }

    [Fact]
    public async Task Without_JavaScript_a_page_shows_its_heading_and_no_usable_buttons()
    {
        var signedIn = await fixture.NewPageAsync();
        await new AccountPages(signedIn).SignUpAsync($"Static {Guid.NewGuid():N}");
        var cookies = await signedIn.Context.StorageStateAsync();
        var page = await fixture.NewPageAsync(options => { options.JavaScriptEnabled = false; options.StorageState = cookies; });

        await page.GotoAsync("/billing");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Billing", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" })).ToBeDisabledAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "User menu" })).ToBeDisabledAsync();
        // The prerender shows a skeleton: the balance and purchases are read once, by the live page.
        await Expect(page.GetByTestId("page-skeleton")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("credit-balance")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task On_a_dark_system_the_prerendered_page_is_dark_before_the_live_connection()
    {
        var signedIn = await fixture.NewPageAsync();
        await new AccountPages(signedIn).SignUpAsync($"Dark {Guid.NewGuid():N}");
        var cookies = await signedIn.Context.StorageStateAsync();
        // Without JavaScript the page stays as prerendered: what a dark system shows before the circuit is up.
        var page = await fixture.NewPageAsync(options => { options.JavaScriptEnabled = false; options.StorageState = cookies; options.ColorScheme = ColorScheme.Dark; });

        await page.GotoAsync("/billing");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Billing", Level = 1 })).ToBeVisibleAsync();
        var background = await page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.True(Luminance(background) < 0.1, $"the prerendered page's background is {background} on a dark system");

        var light = await fixture.NewPageAsync(options => { options.JavaScriptEnabled = false; options.StorageState = cookies; options.ColorScheme = ColorScheme.Light; });
        await light.GotoAsync("/billing");
        var lightBackground = await light.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.True(Luminance(lightBackground) > 0.8, $"the prerendered page's background is {lightBackground} on a light system");
    }

    // Relative luminance (WCAG) of a computed "rgb(r, g, b)" colour (an unpainted, transparent one fails).
    private static double Luminance(string rgb)
    {
        Assert.StartsWith("rgb(", rgb);
        var channels = rgb[(rgb.IndexOf('(') + 1)..rgb.IndexOf(')')].Split(',').Take(3)
            .Select(c => double.Parse(c, System.Globalization.CultureInfo.InvariantCulture) / 255)
            .Select(c => c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4)).ToArray();
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    }
}
