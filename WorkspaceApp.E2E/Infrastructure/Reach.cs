using Microsoft.Playwright;

namespace WorkspaceApp.E2E.Infrastructure;

/// <summary>
/// Whether a person on a small screen sees and can use a control: scrolled to (only up or down: nothing had to be
/// scrolled sideways to bring it into view), wholly inside the viewport, not cut off, and clickable.
/// </summary>
public static class Reach
{
    public static async Task AssertReachableAsync(IPage page, ILocator control, string name)
    {
        await AssertFullyShownAsync(page, control, name);
        // A trial click runs Playwright's actionability checks (visible, enabled, not covered) without clicking.
        await control.ClickAsync(new() { Trial = true, Timeout = 5_000 });
    }

    public static async Task AssertFullyShownAsync(IPage page, ILocator element, string name)
    {
        await element.ScrollIntoViewIfNeededAsync();
        var box = await element.BoundingBoxAsync() ?? throw new Xunit.Sdk.XunitException($"\"{name}\" is not rendered");
        var viewport = page.ViewportSize!;
        Assert.True(box.X >= 0 && box.X + box.Width <= viewport.Width && box.Y >= 0 && box.Y + box.Height <= viewport.Height,
            $"\"{name}\" at x={box.X:0} y={box.Y:0} w={box.Width:0} h={box.Height:0} is not inside the {viewport.Width}x{viewport.Height} viewport");
        var problem = await element.EvaluateAsync<string?>("""
            e => {
                for (let a = e.parentElement; a; a = a.parentElement)
                    if (a.scrollLeft > 0) return `a sideways scroll of ${a.scrollLeft}px (${a.tagName}.${a.className}) was needed`;
                const cut = [e, ...e.querySelectorAll('*')].find(x => x.scrollWidth > x.clientWidth + 1 && getComputedStyle(x).overflowX !== 'visible');
                return cut ? `its text is cut off (${cut.tagName}.${cut.className})` : null;
            }
            """);
        Assert.True(problem is null, $"\"{name}\": {problem}");
    }
}
