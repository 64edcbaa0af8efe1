using System.Security.Cryptography;

namespace WorkspaceApp.Features.Hosting;

/// <summary>
/// The same security headers on every response (pages, static files, /healthz, /v1, errors), in every environment,
/// so that what the tests and the browser journeys see is what production sends.
/// </summary>
public static class SecurityHeaders
{
    private static readonly object NonceKey = new();

    /// <summary>
    /// Blazor Server and MudBlazor work under this policy (checked in a real browser by the E2E journeys):
    /// scripts only from the app itself, plus the one inline script Blazor renders (the import map), admitted by a
    /// per-request nonce; no eval. MudBlazor sets style attributes and a theme &lt;style&gt;, hence 'unsafe-inline'
    /// for styles only. The circuit's WebSocket is same-origin, which 'self' covers in connect-src.
    /// Frames only from the app itself (also X-Frame-Options for browsers without frame-ancestors).
    /// </summary>
    public static string ContentSecurityPolicy(string nonce) =>
        "default-src 'self'; " +
        $"script-src 'self' 'nonce-{nonce}'; " +
        "style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; " +
        "font-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; " +
        "base-uri 'self'; " +
        "form-action 'self'; " +
        "frame-ancestors 'self'";

    /// <summary>The nonce of this response's Content-Security-Policy, for the inline scripts the page renders.</summary>
    public static string Nonce(HttpContext context) =>
        context.Items[NonceKey] as string ?? throw new InvalidOperationException("UseSecurityHeaders has not run for this request.");

    public static void UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Hex: valid in a CSP nonce and never changed by HTML attribute encoding.
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        // When the response starts, not now: the exception handler clears the headers before it renders the error page.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers.XFrameOptions = "SAMEORIGIN";
            headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
            return Task.CompletedTask;
        });
        return next(context);
    });
}
