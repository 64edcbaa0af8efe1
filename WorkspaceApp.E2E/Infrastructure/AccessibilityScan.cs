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
            .Select(v => $"{name}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")
            .ToList();
        problems.AddRange(await StructureProblemsAsync(page, name));
        return problems;
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

    /// <summary>Waits until no animation runs (dialogs fade in; mid-fade colours would be judged) and the fonts are in.</summary>
    private static async Task SettleAsync(IPage page)
    {
        // A promise rather than WaitForFunction: the app's CSP forbids the string evaluation that polling uses.
        await page.EvaluateAsync("""
            async () => {
                await document.fonts.ready;
                const finite = document.getAnimations().filter(a => a.effect?.getComputedTiming().endTime !== Infinity);
                await Promise.allSettled(finite.map(a => a.finished));
            }
            """);
    }
}
