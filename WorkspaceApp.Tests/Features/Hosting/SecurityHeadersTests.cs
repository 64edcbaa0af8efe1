using System.Net;
using System.Text.RegularExpressions;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Hosting;

public sealed partial class SecurityHeadersTests : IDisposable
{
    private readonly AppFactory app = new AppFactory().With("ForwardedHeaders:KnownProxies:0", "10.1.2.3");

    [Theory]
    [InlineData("/Account/Login")] // a page
    [InlineData("/app.css")] // a static file
    [InlineData("/healthz")]
    [InlineData("/v1/models")] // an API answer (401 without a key)
    [InlineData("/no-such-page")] // the not-found page
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var client = app.CreateClient();

        var response = await client.GetAsync(path);

        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Equal("SAMEORIGIN", Header(response, "X-Frame-Options"));
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Matches("script-src 'self' 'nonce-[^']+';", csp);
    }

    [Fact]
    public async Task The_only_inline_script_carries_the_nonce_of_its_response_and_the_nonce_changes_every_time()
    {
        using var client = app.CreateClient();

        var first = await client.GetAsync("/Account/Login");
        var second = await client.GetAsync("/Account/Login");

        var nonce = PolicyNonce().Match(Header(first, "Content-Security-Policy")).Groups[1].Value;
        var html = await first.Content.ReadAsStringAsync();
        var inlineScripts = InlineScript().Matches(html);
        Assert.NotEmpty(inlineScripts);
        Assert.All(inlineScripts, script => Assert.Contains($"nonce=\"{nonce}\"", script.Value, StringComparison.Ordinal));
        Assert.NotEqual(nonce, PolicyNonce().Match(Header(second, "Content-Security-Policy")).Groups[1].Value);
    }

    internal static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? string.Join(",", values)
            : throw new Xunit.Sdk.XunitException($"{name} missing on {response.RequestMessage?.RequestUri} ({(int)response.StatusCode})");

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex PolicyNonce();

    // <script> elements without a src attribute.
    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>")]
    private static partial Regex InlineScript();

    public void Dispose() => app.Dispose();
}
