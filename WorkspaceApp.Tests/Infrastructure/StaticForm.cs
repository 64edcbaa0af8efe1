using System.Net;
using System.Text.RegularExpressions;

namespace WorkspaceApp.Tests.Infrastructure;

/// <summary>Posts a static-rendered Blazor form as a browser would: with its antiforgery token and handler name.</summary>
public static partial class StaticForm
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, string formName, IDictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(path);
        var token = AntiforgeryInput().Match(page);
        Assert.True(token.Success, $"No antiforgery token on {path}");
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
