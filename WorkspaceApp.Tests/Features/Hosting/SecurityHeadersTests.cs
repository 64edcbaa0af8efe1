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

    [Fact]
    public async Task Hsts_is_sent_on_https_requests_outside_Development_and_never_on_plain_http()
    {
        var jar = new CookieJar();
        using var viaTlsProxy = jar.ClientOf(app, System.Net.IPAddress.Parse("10.1.2.3"));
        viaTlsProxy.DefaultRequestHeaders.Host = "app.example";
        viaTlsProxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var plain = jar.ClientOf(app);
        plain.DefaultRequestHeaders.Host = "app.example";

        var https = await viaTlsProxy.GetAsync("/healthz");
        var http = await plain.GetAsync("/healthz");

        Assert.StartsWith("max-age=", Header(https, "Strict-Transport-Security"), StringComparison.Ordinal);
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
        Assert.Equal(HttpStatusCode.OK, http.StatusCode); // no HTTPS redirection: the app serves no HTTPS here
    }

    [Fact]
    public async Task With_an_HTTPS_port_plain_HTTP_requests_are_redirected_except_the_health_probe()
    {
        using var behindTls = new AppFactory().With("HTTPS_PORT", "443");
        var jar = new CookieJar();
        using var client = jar.ClientOf(behindTls);
        client.DefaultRequestHeaders.Host = "app.example";

        var page = await client.GetAsync("/Account/Login");
        var health = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, page.StatusCode);
        Assert.Equal("https://app.example/Account/Login", page.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static string Header(HttpResponseMessage response, string name) =>
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
