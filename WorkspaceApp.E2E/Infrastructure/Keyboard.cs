using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace WorkspaceApp.E2E.Infrastructure;

/// <summary>Moving through a page as a keyboard user does, and checking where focus is and how it shows.</summary>
public static class Keyboard
{
    /// <summary>Presses Tab until <paramref name="target"/> has focus; fails if it is not reached within <paramref name="limit"/> presses.</summary>
    public static async Task TabToAsync(IPage page, ILocator target, string name, int limit = 25)
    {
        for (var i = 0; i < limit; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement")) return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"\"{name}\" was not reached with {limit} presses of Tab; focus is on {await FocusedAsync(page)}");
    }

    /// <summary>
    /// Starts a keyboard journey at <paramref name="control"/>: focuses it, then leaves and comes back with the keyboard
    /// (Shift+Tab, Tab), so the browser treats the focus as keyboard focus (:focus-visible) as it would after tabbing there.
    /// </summary>
    public static async Task FocusWithKeyboardAsync(IPage page, ILocator control)
    {
        await control.FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(control).ToBeFocusedAsync();
    }

    /// <summary>Waits until <paramref name="target"/> has focus, naming where focus is instead if it does not.</summary>
    public static async Task AssertFocusedAsync(IPage page, ILocator target, string name)
    {
        try { await Expect(target).ToBeFocusedAsync(new() { Timeout = 5_000 }); }
        catch (PlaywrightException) { Assert.Fail($"focus should be on {name} but is on {await FocusedAsync(page)}"); }
    }

    /// <summary>
    /// The error is tied to its field (one of the field's aria-describedby ids names an element with the text) and
    /// announced (a live region or an alert holds the text).
    /// </summary>
    public static async Task AssertErrorLinkedAsync(ILocator field, string error)
    {
        await Expect(field.Page.GetByText(error).First).ToBeVisibleAsync();
        var problem = await field.EvaluateAsync<string?>("""
            (e, text) => {
                const ids = (e.getAttribute('aria-describedby') || '').split(/\s+/).filter(Boolean);
                const described = ids.map(id => document.getElementById(id)).filter(d => d && d.textContent.includes(text));
                if (described.length === 0) return `aria-describedby="${e.getAttribute('aria-describedby')}" names no element with "${text}"`;
                const regions = [...document.querySelectorAll('[aria-live]:not([aria-live=off]), [role=alert], [role=status]')];
                return regions.some(r => r.textContent.includes(text)) ? null : `"${text}" is in no live region, so it is not announced`;
            }
            """, error);
        Assert.True(problem is null, problem);
    }

    /// <summary>The focused element shows a ring of at least 2px whose colour has at least 3:1 against what is behind it.</summary>
    public static async Task AssertVisibleFocusRingAsync(IPage page, string name)
    {
        var ring = await page.EvaluateAsync<double[]>("""
            () => {
                const e = document.activeElement, style = getComputedStyle(e);
                const rgb = c => c.match(/[\d.]+/g).map(Number);
                const luminance = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
                    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
                let behind = e.parentElement;
                while (behind && (getComputedStyle(behind).backgroundColor === 'rgba(0, 0, 0, 0)' || rgb(getComputedStyle(behind).backgroundColor)[3] === 0)) behind = behind.parentElement;
                const back = behind ? rgb(getComputedStyle(behind).backgroundColor) : [255, 255, 255];
                const [l1, l2] = [luminance(rgb(style.outlineColor)), luminance(back)].sort((a, b) => b - a);
                const width = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth);
                return [width, (l1 + 0.05) / (l2 + 0.05)];
            }
            """);
        Assert.True(ring[0] >= 2 && ring[1] >= 3, $"{name}: the focus ring is {ring[0]}px with a contrast of {ring[1]:0.00}:1 (needs 2px and 3:1)");
    }

    private static Task<string> FocusedAsync(IPage page) => page.EvaluateAsync<string>("""
        () => { const e = document.activeElement; return e ? `${e.outerHTML.slice(0, 200)} in ${e.parentElement?.outerHTML.slice(0, 200)} "${(e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 60)}"` : 'nothing'; }
        """);
}
