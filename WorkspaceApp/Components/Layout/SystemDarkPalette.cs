using System.Text;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace WorkspaceApp.Components.Layout;

/// <summary>
/// The dark palette for pages without a circuit (the account pages) and for the app's pages until their live
/// connection has read the system setting (the prerendered HTML): MudThemeProvider switches themes from JavaScript,
/// so the dark variables are emitted under the operating system's prefers-color-scheme instead, and a dark system
/// never sees a light page first. Put it after the light MudThemeProvider, with IsDarkMode set. It only writes CSS and
/// runs none of MudThemeProvider's JavaScript: MudBlazor keeps one system-setting listener per page, and a second
/// provider that observed would take it over and remove it when it goes, so the layout would stop following the system.
/// </summary>
public sealed class SystemDarkPalette : MudThemeProvider
{
    protected override Task OnAfterRenderAsync(bool firstRender) => Task.CompletedTask;

    protected override void BuildRenderTree(RenderTreeBuilder __builder)
    {
        var css = new StringBuilder("@media (prefers-color-scheme: dark) { :root {");
        GenerateTheme(css);
        css.Append("} }");
        __builder.OpenElement(0, "style");
        __builder.AddMarkupContent(1, css.ToString());
        __builder.CloseElement();
    }
}
