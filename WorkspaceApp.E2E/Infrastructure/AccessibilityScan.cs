using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace WorkspaceApp.E2E.Infrastructure;

/// <summary>
/// Runs axe (WCAG 2.0/2.1 A and AA) on what the page shows now and describes every critical or serious violation,
/// plus the page structure axe only rates "moderate": one main landmark, one h1 and a skip link.
/// </summary>
public static class AccessibilityScan
{
    private static readonly AxeRunOptions Options = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    };

    private static readonly HashSet<string> Failing = ["critical", "serious"];

    /// <summary>One line per problem on <paramref name="name"/>: "name: rule (impact) help at selector, selector".</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(IPage page, string name)
    {
        await SettleAsync(page);
        var result = await page.RunAxe(Options);
        var problems = result.Violations
            .Where(v => Failing.Contains(v.Impact ?? ""))
            .Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help} at\n    " + string.Join("\n    ", v.Nodes.Select(Describe)))
            .ToList();
        problems.AddRange(await StructureProblemsAsync(page, name));
        return problems;
    }

    /// <summary>The node's selector and, where axe says it, why (for contrast: the two colours and the ratio).</summary>
    private static string Describe(AxeResultNode node)
    {
        var why = node.Any.Concat(node.All).Concat(node.None).Select(check => check.Message).FirstOrDefault(m => !string.IsNullOrEmpty(m));
        return why is null ? node.Target.ToString() : $"{node.Target}: {why}";
    }

    private static async Task<IEnumerable<string>> StructureProblemsAsync(IPage page, string name)
    {
        var problems = new List<string>();
        var mains = await page.Locator("main").CountAsync();
        var h1s = await page.Locator("h1").CountAsync();
        if (mains != 1) problems.Add($"{name}: {mains} <main> landmarks instead of one");
        if (h1s != 1) problems.Add($"{name}: {h1s} h1 headings instead of one");
        if (await page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" }).CountAsync() != 1)
            problems.Add($"{name}: no \"Skip to content\" link");
        return problems;
    }

    /// <summary>
    /// Waits until the app's theme matches the emulated colour scheme (an interactive page turns dark or light only once
    /// its circuit has read the system setting; the static account pages follow it in CSS and have no drawer), with
    /// transitions switched off (colours fade for 250 ms when the theme flips, dialogs fade in: mid-way colours
    /// would be judged), then until no animation runs. It also waits (bounded) for the page's title, which a live page
    /// re-renders when its circuit starts; a page without one still fails axe after the wait.
    /// A promise rather than WaitForFunction: the app's CSP forbids the string evaluation that polling uses.
    /// </summary>
    private static async Task SettleAsync(IPage page)
    {
        await page.EvaluateAsync("""
            async () => {
                await document.fonts.ready;
                if (!document.getElementById('a11y-scan-no-motion')) {
                    const style = document.createElement('style');
                    style.id = 'a11y-scan-no-motion';
                    // Snackbars fade in and out with CSS animations: scan what a reader sees once they settle, not a frame mid-fade.
                    style.textContent = '*, *::before, *::after { transition: none !important; animation: none !important; }';
                    document.head.append(style);
                }
                const live = document.querySelector('.mud-drawer');
                const wantsDark = matchMedia('(prefers-color-scheme: dark)').matches;
                const isDark = () => {
                    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
                    return r + g + b < 384;
                };
                const deadline = performance.now() + 10000;
                // A live page's head is rendered again when its circuit starts: for a moment it has no <title>. Wait for
                // the circuit (the user menu is disabled until then), then for the title.
                const menu = () => document.querySelector('button[aria-label="User menu"]');
                while (menu()?.disabled && performance.now() < deadline) await new Promise(requestAnimationFrame);
                while (!document.title.trim() && performance.now() < deadline) await new Promise(requestAnimationFrame);
                while (live && isDark() !== wantsDark) {
                    if (performance.now() > deadline) throw new Error(`the page did not turn ${wantsDark ? 'dark' : 'light'}`);
                    await new Promise(requestAnimationFrame);
                }
                await new Promise(requestAnimationFrame);
                const finite = document.getAnimations().filter(a => a.effect?.getComputedTiming().endTime !== Infinity);
                await Promise.allSettled(finite.map(a => a.finished));
            }
            """);
    }
}
