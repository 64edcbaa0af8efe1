using System.Text;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace WorkspaceApp.Components.Account.Shared;

/// <summary>
/// The dark palette for pages without a circuit (the account pages): MudThemeProvider switches themes from
/// JavaScript, which static pages do not run, so the dark variables are emitted under the operating system's
/// prefers-color-scheme instead. Put it after the light MudThemeProvider, with IsDarkMode set.
/// </summary>
public sealed class SystemDarkPalette : MudThemeProvider
{
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
