using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace WorkspaceApp.Tests.Infrastructure;

/// <summary>
/// TestServer has no client address. This gives each test client one, as a reverse proxy's forwarded headers
/// would: the app under test sees HttpContext.Connection.RemoteIpAddress set before its own pipeline runs.
/// </summary>
public static class ClientIp
{
    private const string Header = "X-Test-Client-Ip";

    /// <summary>The same app (same database and configuration) with client addresses taken from the test header.</summary>
    public static WebApplicationFactory<Program> WithClientIps(this AppFactory app) =>
        app.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, ClientIpFilter>()));

    public static HttpClient CreateClient(this WebApplicationFactory<Program> app, string ip, bool allowAutoRedirect = true)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = allowAutoRedirect });
        client.DefaultRequestHeaders.Add(Header, ip);
        return client;
    }

    private sealed class ClientIpFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, nextMiddleware) =>
            {
                if (IPAddress.TryParse(http.Request.Headers[Header], out var ip)) http.Connection.RemoteIpAddress = ip;
                return nextMiddleware(http);
            });
            next(app);
        };
    }
}
