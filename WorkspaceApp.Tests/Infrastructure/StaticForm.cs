using System.Net;
using System.Text.RegularExpressions;

namespace WorkspaceApp.Tests.Infrastructure;

/// <summary>Posts a static-rendered Blazor form as a browser would: with its antiforgery token and handler name.</summary>
public static partial class StaticForm
{
    /// <param name="pageClient">Where the page with the form is fetched from (another app instance); default <paramref name="client"/>.</param>
    /// <param name="pagePath">The page that carries the token when the form posts elsewhere; default <paramref name="path"/>.</param>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string formName, IDictionary<string, string> fields,
        HttpClient? pageClient = null, string? pagePath = null)
    {
        pagePath ??= path;
        var page = await (pageClient ?? client).GetStringAsync(pagePath);
        var token = AntiforgeryInput().Match(page);
        Assert.True(token.Success, $"No antiforgery token on {pagePath}");
        var body = new Dictionary<string, string>(fields)
        {
            ["_handler"] = formName,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        };
        return await client.PostAsync(path, new FormUrlEncodedContent(body));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}
