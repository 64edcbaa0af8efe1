using Microsoft.Playwright;

namespace WorkspaceApp.E2E.Infrastructure;

/// <summary>One app process and one browser for the whole E2E run; each journey gets its own browser context.</summary>
public sealed class E2EFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public AppServer App { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await AppServer.StartAsync();
        playwright = await Playwright.CreateAsync();
        Browser = await Infrastructure.Browser.LaunchAsync(playwright);
    }

    /// <summary>
    /// A fresh, cookie-free browser tab on the app (or on <paramref name="app"/>, a journey's own); <paramref name="configure"/>
    /// may change the defaults (colour scheme, viewport).
    /// </summary>
    public async Task<IPage> NewPageAsync(Action<BrowserNewContextOptions>? configure = null, AppServer? app = null)
    {
        var options = new BrowserNewContextOptions { BaseURL = (app ?? App).BaseUrl, ViewportSize = new() { Width = 1280, Height = 900 } };
        configure?.Invoke(options);
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<E2EFixture>
{
    public const string Name = "e2e";
}
