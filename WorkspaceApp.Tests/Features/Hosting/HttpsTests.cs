using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Hosting;

/// <summary>Outside Development: HSTS on HTTPS answers, and HTTPS redirection only when there is HTTPS to go to.</summary>
public sealed class HttpsTests
{
    [Fact]
    public async Task Hsts_is_sent_on_https_requests_outside_Development_and_never_on_plain_http()
    {
        var jar = new CookieJar();
        using var app = new AppFactory().With("ForwardedHeaders:KnownProxies:0", "10.1.2.3");
        using var viaTlsProxy = jar.ClientOf(app, IPAddress.Parse("10.1.2.3"));
        viaTlsProxy.DefaultRequestHeaders.Host = "app.example";
        viaTlsProxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var plain = jar.ClientOf(app);
        plain.DefaultRequestHeaders.Host = "app.example";

        var https = await viaTlsProxy.GetAsync("/healthz");
        var http = await plain.GetAsync("/healthz");

        Assert.StartsWith("max-age=", SecurityHeadersTests.Header(https, "Strict-Transport-Security"), StringComparison.Ordinal);
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

    [Fact]
    public async Task When_Kestrel_serves_HTTPS_plain_HTTP_is_redirected_there_and_HTTPS_answers_carry_HSTS()
    {
        using var certificate = SelfSignedCertificate();
        using var app = new AppFactory();
        app.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate));
        });
        app.StartServer();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var http = new Uri(addresses.Single(address => address.StartsWith("http:", StringComparison.Ordinal)));
        var https = new Uri(addresses.Single(address => address.StartsWith("https:", StringComparison.Ordinal)));
        using var client = new HttpClient(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
        });

        var plain = await client.GetAsync(new Uri(http, "/Account/Login"));
        using var secure = new HttpRequestMessage(HttpMethod.Get, new Uri(https, "/Account/Login"));
        secure.Headers.Host = $"app.example:{https.Port}"; // HSTS is never sent to localhost or 127.0.0.1
        var answer = await client.SendAsync(secure);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, plain.StatusCode);
        Assert.Equal(new Uri(https, "/Account/Login"), plain.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.StartsWith("max-age=", SecurityHeadersTests.Header(answer, "Strict-Transport-Security"), StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Through PFX so that Kestrel can use the private key on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
