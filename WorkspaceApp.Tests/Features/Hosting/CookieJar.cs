using System.Net;
using Microsoft.Net.Http.Headers;
using Microsoft.AspNetCore.TestHost;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Hosting;

/// <summary>
/// Cookies kept by name, whatever their Secure flag (the TestServer speaks http even when a proxy says https),
/// and shared by clients of several app instances, as one browser talking to a load-balanced deploy.
/// </summary>
public sealed class CookieJar
{
    private readonly Dictionary<string, string> cookies = new();

    /// <summary>Every Set-Cookie header received, for checking its attributes.</summary>
    public List<SetCookieHeaderValue> Received { get; } = new();

    public bool Has(string name)
    {
        lock (cookies) return cookies.ContainsKey(name);
    }

    public SetCookieHeaderValue LastReceived(string name) =>
        Received.Last(cookie => cookie.Name.Equals(name, StringComparison.Ordinal));

    /// <summary>A client of <paramref name="app"/> with this jar, as seen from <paramref name="from"/> (default 198.51.100.10).</summary>
    public HttpClient ClientOf(AppFactory app, IPAddress? from = null)
    {
        var remote = from ?? IPAddress.Parse("198.51.100.10");
        var server = app.Server.CreateHandler(context => context.Connection.RemoteIpAddress = remote);
        return new HttpClient(new Handler(this) { InnerHandler = server }) { BaseAddress = app.Server.BaseAddress };
    }

    private sealed class Handler(CookieJar jar) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (jar.cookies)
            {
                if (jar.cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", jar.cookies.Select(c => $"{c.Key}={c.Value}")));
            }
            var response = await base.SendAsync(request, cancellationToken);
            if (!response.Headers.TryGetValues("Set-Cookie", out var setCookies)) return response;
            lock (jar.cookies)
            {
                foreach (var cookie in SetCookieHeaderValue.ParseList(setCookies.ToList()))
                {
                    jar.Received.Add(cookie);
                    if (cookie.Value.Length == 0 || cookie.Expires < DateTimeOffset.UtcNow) jar.cookies.Remove(cookie.Name.ToString());
                    else jar.cookies[cookie.Name.ToString()] = cookie.Value.ToString();
                }
            }
            return response;
        }
    }
}
