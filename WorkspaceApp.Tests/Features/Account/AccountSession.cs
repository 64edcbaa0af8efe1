using System.Net;
using System.Text.RegularExpressions;
using WorkspaceApp.Tests.Features.Hosting;
using WorkspaceApp.Tests.Infrastructure;

namespace WorkspaceApp.Tests.Features.Account;

/// <summary>One browser on the account pages: its cookies, its forms, and where each answer sent it.</summary>
public sealed partial class AccountSession(AppFactory app) : IDisposable
{
    private readonly CookieJar jar = new();
    private HttpClient? client;

    public HttpClient Client => client ??= jar.ClientOf(app);

    public bool IsSignedIn => jar.Has(".AspNetCore.Identity.Application");

    public Task<HttpResponseMessage> PostAsync(string path, string form, IDictionary<string, string> fields, string? pagePath = null) =>
        StaticForm.PostAsync(Client, path, form, fields, pagePath: pagePath);

    public Task<HttpResponseMessage> LogInAsync(string email, string password) =>
        PostAsync("/Account/Login", "login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });

    /// <summary>Follows one redirect (relative or absolute) and returns the page's HTML.</summary>
    public async Task<string> FollowAsync(HttpResponseMessage redirect)
    {
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        return await Client.GetStringAsync(PathOf(redirect.Headers.Location!));
    }

    /// <summary>The path and query of an absolute link (from an email) or a Location header.</summary>
    public static string PathOf(Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : "/" + uri.OriginalString.TrimStart('/');

    public static string PathOf(string link) => PathOf(new Uri(WebUtility.HtmlDecode(link), UriKind.RelativeOrAbsolute));

    public static string Location(HttpResponseMessage response) => PathOf(response.Headers.Location!);

    /// <summary>The text of the element with this data-testid.</summary>
    public static string TestId(string html, string id)
    {
        var match = Regex.Match(html, $"data-testid=\"{id}\"[^>]*>(.*?)</", RegexOptions.Singleline);
        Assert.True(match.Success, $"No data-testid=\"{id}\" in the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value).Trim();
    }

    public void Dispose() => client?.Dispose();
}
