using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MudBlazor.Services;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp.Tests.Infrastructure;

/// <summary>
/// A bunit context with MudBlazor and the app's real feature services on a real SQLite file,
/// signed in as a user of an <see cref="AppFactory"/> database.
/// </summary>
public abstract class AppTestContext : BunitContext, IAsyncLifetime
{
    protected AppFactory App { get; } = new();

    protected AppTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    /// <summary>Registers the app's services (as the features register them) on the factory's database.</summary>
    protected void UseAppServices(TestUser user, Action<HostApplicationBuilder>? addFeatures = null)
    {
        _ = App.Services; // creates and migrates the database
        var host = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = App.Provider.ToString(),
            ["ConnectionStrings:Default"] = App.ConnectionString,
            ["Billing:Provider"] = "Test",
        });
        host.Services.AddSingleton(TimeProvider.System);
        host.AddAppDatabase();
        host.AddWorkspaces();
        addFeatures?.Invoke(host);
        foreach (var descriptor in host.Services) Services.Add(descriptor);

        var auth = AddAuthorization();
        auth.SetAuthorized(user.Email);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.UserId), new Claim(ClaimTypes.Name, user.Email));
        // bunit's AddAuthorization fakes the policy provider and service; the app's own evaluate the workspace
        // policies against the real membership rows.
        Services.AddTransient<IAuthorizationService, DefaultAuthorizationService>();
        Services.AddSingleton<IAuthorizationPolicyProvider, DefaultAuthorizationPolicyProvider>();
        // Components render as on the live circuit (the Renderer is built here, so after the registrations above);
        // a test of the prerender sets isInteractive: false.
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor registers services that only dispose asynchronously; xunit then calls Dispose, which finds them done.
    async Task IAsyncLifetime.DisposeAsync() => await Services.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) App.Dispose();
    }
}
