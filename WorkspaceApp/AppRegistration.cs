using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using WorkspaceApp.Components;
using WorkspaceApp.Components.Account;
using WorkspaceApp.Data;
using WorkspaceApp.Features.Account;
using WorkspaceApp.Features.Api;
using WorkspaceApp.Features.ApiKeys;
using WorkspaceApp.Features.Audit;
using WorkspaceApp.Features.Billing;
using WorkspaceApp.Features.Email;
using WorkspaceApp.Features.Health;
using WorkspaceApp.Features.Hosting;
using WorkspaceApp.Features.Members;
using WorkspaceApp.Features.Upstreams;
using WorkspaceApp.Features.Usage;
using WorkspaceApp.Features.Workspaces;

namespace WorkspaceApp;

/// <summary>The table of contents of the app: each feature registers its own services and endpoints.</summary>
public static class AppRegistration
{
    public static void AddWorkspaceApp(this WebApplicationBuilder builder)
    {
        // Static web assets (MudBlazor's CSS and JS) also resolve from a plain build outside Development.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddStaticAssetCompression();
        builder.AddAppDatabase();
        builder.AddIdentity();
        builder.AddWorkspaces();
        builder.AddAccount();
        builder.AddMembers();
        builder.AddWorkspaceApi();
        builder.AddUpstreams();
        builder.AddApiKeys();
        builder.AddAuditLog();
        builder.AddBilling();
        builder.AddUsage();
        builder.AddEmail();
        builder.AddDeploymentSecurity();
        builder.Services.AddAppHealthChecks();
    }

    private static void AddIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<IdentityRedirectManager>();
        builder.Services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        builder.Services.AddIdentityCore<AppUser>(options =>
            {
                // Accounts are usable at once; Identity:RequireConfirmedEmail (Features/Account) can demand confirmation.
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                // Stronger than the template: 10 characters with some variety, on top of the default classes.
                options.Password.RequiredLength = 10;
                options.Password.RequiredUniqueChars = 5;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager<AppSignInManager>()
            .AddDefaultTokenProviders();
    }

    public static async Task MapWorkspaceAppAsync(this WebApplication app)
    {
        // A bad setting stops the app before it touches the database (ValidateOnStart would only run at host start).
        app.Services.GetService<IStartupValidator>()?.Validate();
        await app.Services.MigrateDatabaseAsync();

        app.UseDeploymentSecurity();
        app.UseStaticAssetCompression();
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWorkspaceApiErrors();
        app.UseAntiforgery();
        app.UseRateLimiter();

        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        app.MapBillingEndpoints();
        app.MapUsageEndpoints();
        app.MapAppHealthChecks();
        app.MapWorkspaceApiEndpoints();
    }
}
