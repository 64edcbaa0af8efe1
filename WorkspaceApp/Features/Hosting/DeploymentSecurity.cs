using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WorkspaceApp.Data;

namespace WorkspaceApp.Features.Hosting;

/// <summary>
/// What a deploy needs beyond the code: keys shared by every instance, the client's address and scheme from trusted
/// proxies only, HTTPS, and the security headers on every response.
/// </summary>
public static class DeploymentSecurity
{
    public const string ApplicationName = "WorkspaceApp";

    public static void AddDeploymentSecurity(this WebApplicationBuilder builder)
    {
        // Keys in the application database (both providers have the DataProtectionKeys table), under a fixed name:
        // a restart or a second instance reads the same keys, so sign-ins and open forms stay valid.
        builder.Services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<AppDbContext>();
        builder.AddTrustedProxies();
        // Secure exactly when the request is HTTPS, which behind a TLS proxy means X-Forwarded-Proto from a trusted
        // proxy. "Always" would break signing in over the plain HTTP the app serves on 127.0.0.1.
        builder.Services.Configure<CookiePolicyOptions>(options => options.Secure = CookieSecurePolicy.SameAsRequest);
    }

    /// <summary>Call first: everything after it (rate limits by IP, cookies, redirects) sees the real client.</summary>
    public static void UseDeploymentSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        if (!app.Environment.IsDevelopment())
        {
            // Only answers HTTPS requests (and never for localhost), so plain HTTP serving is unaffected.
            app.UseHsts();
            var servesHttps = new Lazy<bool>(() => ServesHttps(app));
            // The health probe of a load balancer often speaks plain HTTP on purpose.
            app.UseWhen(context => servesHttps.Value && !context.Request.Path.StartsWithSegments("/healthz"),
                branch => branch.UseHttpsRedirection());
        }
        app.UseCookiePolicy();
    }

    // Known once the server listens (the first request comes after that). HTTPS_PORT names the public HTTPS port
    // of a TLS proxy in front of an app that itself listens on HTTP.
    private static bool ServesHttps(WebApplication app) =>
        !string.IsNullOrEmpty(app.Configuration["HTTPS_PORT"])
        || app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            .Any(address => address.StartsWith("https:", StringComparison.OrdinalIgnoreCase)) == true;
}
