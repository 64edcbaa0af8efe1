using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Hosting;

public sealed class ForwardedHeadersTests : IDisposable
{
    private static readonly IPAddress Proxy = IPAddress.Parse("10.1.2.3");
    private static readonly IPAddress Stranger = IPAddress.Parse("198.51.100.7");
    private const string Client = "203.0.113.9";

    private readonly AppFactory app = new AppFactory()
        .With("ForwardedHeaders:KnownProxies:0", Proxy.ToString())
        .With("ForwardedHeaders:KnownNetworks:0", "172.16.0.0/12");

    [Fact]
    public async Task A_configured_proxy_sets_the_client_address_and_scheme()
    {
        var context = await SendAsync(Proxy, forwardedFor: Client, forwardedProto: "https");

        Assert.Equal(IPAddress.Parse(Client), context.Connection.RemoteIpAddress);
        Assert.Equal("https", context.Request.Scheme);
    }

    [Fact]
    public async Task A_proxy_in_a_configured_network_is_trusted_too()
    {
        var context = await SendAsync(IPAddress.Parse("172.20.0.5"), forwardedFor: Client);

        Assert.Equal(IPAddress.Parse(Client), context.Connection.RemoteIpAddress);
    }

    [Fact]
    public async Task Forwarded_headers_from_anyone_else_are_ignored()
    {
        var context = await SendAsync(Stranger, forwardedFor: Client, forwardedProto: "https");

        Assert.Equal(Stranger, context.Connection.RemoteIpAddress);
        Assert.Equal("http", context.Request.Scheme);
    }

    [Fact]
    public async Task Loopback_is_not_trusted_unless_configured()
    {
        using var plain = new AppFactory();
        var context = await plain.Server.SendAsync(request => Forwarded(request, IPAddress.Loopback, Client, null));

        Assert.Equal(IPAddress.Loopback, context.Connection.RemoteIpAddress);
    }

    [Theory]
    [InlineData("10.1.2.3", true)]
    [InlineData("198.51.100.7", false)]
    public async Task Identity_and_antiforgery_cookies_are_Secure_exactly_when_a_trusted_proxy_says_https(string from, bool secure)
    {
        var user = await app.RegisterAsync();
        var jar = new CookieJar();
        using var client = jar.ClientOf(app, IPAddress.Parse(from));
        client.DefaultRequestHeaders.Add("X-Forwarded-For", Client);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var login = await StaticForm.PostAsync(client, "/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = TestUser.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal(secure, jar.LastReceived(".AspNetCore.Identity.Application").Secure);
        Assert.Equal(secure, jar.Received.Last(cookie => cookie.Name.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).Secure);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.300", "ForwardedHeaders:KnownProxies")]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.1,proxy.internal", "ForwardedHeaders:KnownProxies")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0", "ForwardedHeaders:KnownNetworks")]
    public void A_bad_entry_stops_the_app_at_start_naming_the_setting(string key, string value, string named)
    {
        using var bad = new AppFactory().With(key, value);

        var error = Assert.ThrowsAny<Exception>(() => bad.Services);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comma_separated_list_is_read_as_several_proxies()
    {
        using var listed = new AppFactory().With("ForwardedHeaders:KnownProxies", $"10.9.9.9, {Proxy}");

        var context = await listed.Server.SendAsync(request => Forwarded(request, Proxy, Client, null));

        Assert.Equal(IPAddress.Parse(Client), context.Connection.RemoteIpAddress);
    }

    private Task<HttpContext> SendAsync(IPAddress from, string forwardedFor, string? forwardedProto = null) =>
        app.Server.SendAsync(context => Forwarded(context, from, forwardedFor, forwardedProto));

    private static void Forwarded(HttpContext context, IPAddress from, string forwardedFor, string? forwardedProto)
    {
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/healthz";
        context.Connection.RemoteIpAddress = from;
        context.Request.Headers["X-Forwarded-For"] = forwardedFor;
        if (forwardedProto is not null) context.Request.Headers["X-Forwarded-Proto"] = forwardedProto;
    }

    public void Dispose() => app.Dispose();
}
