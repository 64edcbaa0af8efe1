using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using WorkspaceApp.E2E.Infrastructure;

namespace WorkspaceApp.E2E.Journeys;

/// <summary>The stylesheets and scripts the pages link are sent compressed and cached for good (their address has a fingerprint).</summary>
[Collection(E2ECollection.Name)]
public sealed partial class StaticAssetsJourney(E2EFixture fixture)
{
    [Theory]
    [InlineData("br")]
    [InlineData("gzip")]
    public async Task Linked_css_and_js_are_compressed_and_immutable(string encoding)
    {
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None })
        {
            BaseAddress = new Uri(fixture.App.BaseUrl),
        };
        var html = await http.GetStringAsync("/Account/Login");
        var assets = LinkedAsset().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/MudBlazor.min.", StringComparison.Ordinal) && a.EndsWith(".css", StringComparison.Ordinal));

        foreach (var asset in assets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, asset);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue(encoding));
            using var response = await http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            Assert.True(response.Content.Headers.ContentEncoding.Contains(encoding), $"{asset} is sent without {encoding} compression");
            Assert.True(response.Headers.CacheControl is { MaxAge.TotalDays: >= 365 }, $"{asset}: Cache-Control {response.Headers.CacheControl}");
            Assert.Contains("immutable", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        }
    }

    /// <summary>The fingerprinted stylesheets and scripts of the page (href or src ending in .{hash}.css or .js).</summary>
    [GeneratedRegex("(?:href|src)=\"([^\"]+\\.[a-z0-9]{10}\\.(?:css|js))\"")]
    private static partial Regex LinkedAsset();
}
