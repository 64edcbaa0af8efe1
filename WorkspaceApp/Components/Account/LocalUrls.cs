using Microsoft.AspNetCore.Http.HttpResults;

namespace WorkspaceApp.Components.Account;

/// <summary>
/// Where a ReturnUrl may send someone after logging in or out: a path on this site, else the dashboard.
/// A hostile value (//evil.example, https://evil.example/, /\evil.example, a megabyte of text) never leaves the site
/// and never fails the request.
/// </summary>
internal static class LocalUrls
{
    public const string Home = "/";

    // Far above any page of the app; a longer value is not a link a person followed.
    public const int MaxLength = 2048;

    /// <summary>The path, from the app's base ("/" is the dashboard), that <paramref name="url"/> may lead to.</summary>
    /// <param name="url">An absolute URL under <paramref name="baseUri"/>, a path, or a path relative to the base.</param>
    /// <param name="baseUri">The app's base URI (with its path base), ending with "/".</param>
    public static string ToLocalPath(string? url, string baseUri)
    {
        url ??= "";
        if (url.Length > MaxLength) return Home;
        if (url.StartsWith(baseUri, StringComparison.OrdinalIgnoreCase))
        {
            url = url[(baseUri.Length - 1)..];
        }
        else if (!url.StartsWith('/') && !url.StartsWith('\\') && Uri.IsWellFormedUriString(url, UriKind.Relative))
        {
            url = "/" + url; // "Account/Login"
        }
        // The framework's test: one leading slash, no "//" or "/\" (which browsers read as another host), no control characters.
        return url.StartsWith('/') && RedirectHttpResult.IsLocalUrl(url) ? url : Home;
    }
}
