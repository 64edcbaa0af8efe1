using MudBlazor;

namespace WorkspaceApp.Components.Layout;

/// <summary>
/// The app's palette. Every colour that fills a chip or button, or colours text, keeps 4.5:1 (WCAG AA) against its
/// text or background in both themes: MudBlazor's defaults (white on #00c853 green, 2.2:1) do not, so the light
/// theme uses darker tones with white text and the dark theme lighter tones with near-black text.
/// </summary>
public static class AppTheme
{
    private const string DarkText = "rgba(0,0,0,0.87)";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#4f46e5",
            Secondary = "#0e7490",
            // Green 900 rather than 800: white text stays above 4.5:1 even while a snackbar fades in (axe caught 4.4 mid-fade).
            Success = "#1b5e20",
            Warning = "#b45309",
            Error = "#c62828",
            Info = "#0369a1",
            TextSecondary = "rgba(0,0,0,0.68)",
            AppbarBackground = "#312e81",
            Background = "#f7f7fb",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#a5b4fc",
            PrimaryContrastText = "#1e1b4b",
            Secondary = "#38bdf8",
            SecondaryContrastText = DarkText,
            Success = "#81c784",
            SuccessContrastText = DarkText,
            Warning = "#ffb74d",
            WarningContrastText = DarkText,
            Error = "#ef9a9a",
            ErrorContrastText = DarkText,
            Info = "#64b5f6",
            InfoContrastText = DarkText,
            // Text-variant alerts colour their text with the "darken" tone: on a dark page it must be lighter.
            SuccessDarken = "#a5d6a7",
            WarningDarken = "#ffcc80",
            ErrorDarken = "#ffcdd2",
            InfoDarken = "#90caf9",
            TextSecondary = "rgba(255,255,255,0.70)",
            AppbarBackground = "#1e1b4b",
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px" },
    };
}
