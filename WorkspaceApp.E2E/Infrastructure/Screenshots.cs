using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace WorkspaceApp.E2E.Infrastructure;

/// <summary>
/// The README's screenshots come from the journeys themselves: with WORKSPACEAPP_SCREENSHOTS set to a folder, every
/// scanned state is saved there as a PNG (docs/screenshots.sh). Unset (as in ./test.sh), nothing is written.
/// </summary>
public static partial class Screenshots
{
    private static readonly string? Folder = Environment.GetEnvironmentVariable("WORKSPACEAPP_SCREENSHOTS");

    public static async Task SaveAsync(IPage page, string name)
    {
        if (string.IsNullOrEmpty(Folder)) return;
        Directory.CreateDirectory(Folder);
        var file = NotAFileNameCharacter().Replace(name.ToLowerInvariant(), "-") + ".png";
        await page.ScreenshotAsync(new() { Path = Path.Combine(Folder, file) });
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotAFileNameCharacter();
}
